# An OAuth element (Salesforce) created from an existing refresh token,
# without the browser flow: external_authentication = "initial".
resource "cloudelements_instance" "salesforce" {
  element_key             = "sfdc"
  name                    = "Salesforce (sales ops)"
  external_authentication = "initial"

  configuration = {
    "oauth.callback.url" = "https://app.acme.example/oauth/callback"
  }
  # Write-only (Terraform 1.11+): never stored in state or plan. Bump the
  # version to send new values.
  secret_configuration_wo = {
    "oauth.api.key"            = var.sfdc_client_id
    "oauth.api.secret"         = var.sfdc_client_secret
    "oauth.user.refresh_token" = var.sfdc_refresh_token
  }
  secret_configuration_wo_version = 1
}

variable "sfdc_client_id" {
  type      = string
  sensitive = true
}

variable "sfdc_client_secret" {
  type      = string
  sensitive = true
}

variable "sfdc_refresh_token" {
  type      = string
  sensitive = true
}
