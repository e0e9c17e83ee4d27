# Look an instance up by id...
data "cloudelements_freshdesk_instance" "by_id" {
  id = "12345"
}

# ...or by its name.
data "cloudelements_freshdesk_instance" "by_name" {
  name = "acme-helpdesk"
}

output "helpdesk_subdomain" {
  value = data.cloudelements_freshdesk_instance.by_name.subdomain
}
