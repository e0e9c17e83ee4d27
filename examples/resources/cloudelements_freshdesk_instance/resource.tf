# A Freshdesk V2 element instance for https://acme.freshdesk.com.
resource "cloudelements_freshdesk_instance" "example" {
  name      = "acme-helpdesk"
  subdomain = "acme"
  api_key   = var.freshdesk_api_key
  tags      = ["support", "production"]

  # Optional; these are the defaults.
  filter_response_nulls = true
  enabled               = true

  timeouts = {
    create = "10m"
  }
}

# The Freshdesk API key (Profile settings, "Your API Key"). The default only
# serves `make demo` against the emulator: real configurations pass the key
# through TF_VAR_freshdesk_api_key, or use api_key_wo to keep it out of state.
variable "freshdesk_api_key" {
  type      = string
  sensitive = true
  default   = "demo-api-key"
}

output "freshdesk_instance_id" {
  value = cloudelements_freshdesk_instance.example.id
}
