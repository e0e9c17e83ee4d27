# Terraform 1.11 and later: the API key as a write-only argument. It is sent to
# the platform on create and whenever api_key_wo_version changes, and is never
# stored in the plan or state. An ephemeral variable cannot leak either.
resource "cloudelements_freshdesk_instance" "write_only_key" {
  name               = "acme-helpdesk-wo"
  subdomain          = "acme"
  api_key_wo         = var.freshdesk_api_key_wo
  api_key_wo_version = 1 # bump to send a rotated key
}

variable "freshdesk_api_key_wo" {
  type      = string
  sensitive = true
  ephemeral = true
}
