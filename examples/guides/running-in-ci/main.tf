# The configuration the CI guide's drift job (drift-check.sh) watches: any
# configuration works. Its secrets make Terraform before 1.15 report "No
# changes" with exit code 2 to `plan -refresh-only -detailed-exitcode`.
terraform {
  required_providers {
    cloudelements = {
      source = "cloudelements/cloudelements"
    }
  }
}

provider "cloudelements" {} # CLOUDELEMENTS_* environment variables

variable "freshdesk_api_key" {
  type      = string
  sensitive = true
}

resource "cloudelements_freshdesk_instance" "helpdesk" {
  name      = "acme-helpdesk"
  subdomain = "acme"
  api_key   = var.freshdesk_api_key
  tags      = ["support"]
}

output "helpdesk_id" {
  value = cloudelements_freshdesk_instance.helpdesk.id
}
