# Every Freshdesk V2 instance tagged "production".
data "cloudelements_instances" "production_helpdesks" {
  element_key = "freshdeskv2"
  tags        = ["production"]
}

output "production_helpdesk_ids" {
  value = [for i in data.cloudelements_instances.production_helpdesks.instances : i.id]
}

# Every instance named exactly "acme-helpdesk", of any element.
data "cloudelements_instances" "named" {
  name = "acme-helpdesk"
}
