# Terraform 1.10 and later: the URL of an OAuth element's browser step. The
# client secret it needs is never stored in the plan or state.
ephemeral "cloudelements_oauth_url" "crm" {
  element_key  = "sfdc"
  api_key      = "3MVG9...client-id"
  api_secret   = var.sfdc_client_secret
  callback_url = "https://example.com/oauth/callback"
  show_url     = true # print the URL as a warning: Terraform never shows ephemeral values itself
}

variable "sfdc_client_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
