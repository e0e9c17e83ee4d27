# Every transformation of the common resource myContact.
data "cloudelements_common_resource" "contact" {
  object_name = "myContact"
}

data "cloudelements_common_resource_transformations" "contact" {
  common_resource_id = data.cloudelements_common_resource.contact.id
}

output "contact_targets" {
  value = [for t in data.cloudelements_common_resource_transformations.contact.transformations : coalesce(t.element_key, t.instance_id)]
}
