# Every transformation of common resource 8001.
data "cloudelements_common_resource_transformations" "contact" {
  common_resource_id = "8001"
}

output "contact_targets" {
  value = [for t in data.cloudelements_common_resource_transformations.contact.transformations : coalesce(t.element_key, t.instance_id)]
}
