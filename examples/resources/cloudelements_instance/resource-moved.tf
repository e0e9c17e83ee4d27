# Moving from cloudelements_freshdesk_instance (Terraform 1.8+): replace the
# resource block with this one and the moved block. The plan shows the move
# and nothing else; apply makes no API call.
moved {
  from = cloudelements_freshdesk_instance.support
  to   = cloudelements_instance.support
}

resource "cloudelements_instance" "support" {
  element_key = "freshdeskv2"
  name        = "Support desk"
  tags        = ["team-a"]

  configuration = {
    subdomain = "acme" # plus "filter.response.nulls" = "false" if it was set to false
  }
  secret_configuration = {
    username = var.freshdesk_api_key # the Freshdesk API key
  }
}

variable "freshdesk_api_key" {
  type      = string
  sensitive = true
}
