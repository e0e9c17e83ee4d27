# A common resource managed elsewhere, by its object name.
data "cloudelements_common_resource" "contact" {
  object_name = "myContact"
}

output "contact_field_paths" {
  value = sort([for f in data.cloudelements_common_resource.contact.fields : f.path])
}
