# A Jira instance that posts webhooks to your endpoint, created disabled (its
# token is refused by hub calls until enabled = true), with longer timeouts
# for a slow platform.
resource "cloudelements_instance" "jira_events" {
  element_key = "jira"
  name        = "Jira (webhooks)"
  enabled     = false

  configuration = {
    "jira.host" = "https://acme.atlassian.net"
    username    = "ci-bot@acme.example"
  }
  secret_configuration = {
    password = var.jira_events_api_token
  }

  events = {
    vendor_type   = "webhook"
    callback_url  = "https://hooks.example.com/cloudelements/jira"
    signature_key = var.jira_events_signature_key
  }

  timeouts = {
    create = "15m"
    update = "15m"
  }
}

variable "jira_events_api_token" {
  type      = string
  sensitive = true
}

variable "jira_events_signature_key" {
  type      = string
  sensitive = true
}
