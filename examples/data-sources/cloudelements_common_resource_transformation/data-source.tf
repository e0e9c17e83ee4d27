# The transformation onto Freshdesk (organization level) of a common
# resource managed elsewhere, found by its object name; `id` or
# `instance_id` find one too.
data "cloudelements_common_resource" "contact" {
  object_name = "myContact"
}

data "cloudelements_common_resource_transformation" "contact_freshdesk" {
  common_resource_id = data.cloudelements_common_resource.contact.id
  element_key        = "freshdeskv2"
}

output "contact_vendor_paths" {
  value = { for f in data.cloudelements_common_resource_transformation.contact_freshdesk.fields : f.path => f.vendor_path }
}
