# The transformation of common resource 8001 onto Freshdesk (organization
# level); `id` or `instance_id` find one too.
data "cloudelements_common_resource_transformation" "contact_freshdesk" {
  common_resource_id = "8001"
  element_key        = "freshdeskv2"
}

output "contact_vendor_paths" {
  value = { for f in data.cloudelements_common_resource_transformation.contact_freshdesk.fields : f.path => f.vendor_path }
}
