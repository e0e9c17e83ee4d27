# The common resource "contact" mapped onto Freshdesk: for every Freshdesk
# instance (organization level), and onto one instance with a script
# (instance level).
resource "cloudelements_common_resource" "contact" {
  object_name  = "myContact"
  display_name = "Contact"
  fields = [
    { path = "firstName", type = "string" },
    { path = "email", type = "string" },
    { path = "internalNotes", type = "string" },
  ]
}

resource "cloudelements_common_resource_transformation" "contact_freshdesk" {
  common_resource_id = cloudelements_common_resource.contact.id
  element_key        = "freshdeskv2"
  vendor_name        = "contacts"
  fields = [
    { path = "firstName", type = "string", vendor_path = "name" },
    { path = "email", type = "string", vendor_path = "email", configuration = jsonencode([{ type = "passThrough" }]) },
    { path = "internalNotes", type = "string", vendor_path = "description", configuration = jsonencode([{ type = "remove" }]) },
  ]
}

resource "cloudelements_common_resource_transformation" "contact_helpdesk" {
  common_resource_id = cloudelements_common_resource.contact.id
  instance_id        = cloudelements_freshdesk_instance.helpdesk.id
  vendor_name        = "contacts"
  fields = [
    { path = "firstName", type = "string", vendor_path = "name" },
    { path = "email", type = "string", vendor_path = "email" },
  ]
  script = {
    body                  = <<-JS
      transformed.email = (transformed.email || "").toLowerCase();
      done(transformed);
    JS
    filter_empty_response = true
  }
}

resource "cloudelements_freshdesk_instance" "helpdesk" {
  name      = "acme-helpdesk"
  subdomain = "acme"
  api_key   = var.freshdesk_api_key
}

variable "freshdesk_api_key" {
  type      = string
  sensitive = true
}
