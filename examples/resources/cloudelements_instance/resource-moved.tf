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
  # The whole map from one sensitive variable: { username = <the Freshdesk API key> }.
  # A map written here around a sensitive string makes Terraform record one
  # more sensitive path, and the first plan after the move shows "1 to change".
  secret_configuration = var.freshdesk_secrets
}

variable "freshdesk_secrets" {
  type      = map(string)
  sensitive = true
}
