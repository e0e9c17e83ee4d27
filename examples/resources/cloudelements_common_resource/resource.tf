# The canonical contact every helpdesk element maps onto.
resource "cloudelements_common_resource" "contact" {
  object_name  = "myContact"
  display_name = "Contact"
  description  = "A customer contact, whatever helpdesk holds it"
  fields = [
    { path = "email", type = "string" },
    { path = "name", type = "string" },
    { path = "address.city", type = "string" },
    # Defined per account rather than for the whole organization.
    { path = "tier", type = "number", level = "account" },
  ]
}
