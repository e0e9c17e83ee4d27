data "cloudelements_common_resources" "all" {}

output "common_resource_names" {
  value = [for c in data.cloudelements_common_resources.all.common_resources : c.object_name]
}
