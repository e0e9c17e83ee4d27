# A Jira instance: non-secret settings in configuration, the password in
# secret_configuration (sent on create and re-provision, never read back).
resource "cloudelements_instance" "jira" {
  element_key = "jira"
  name        = "Jira (engineering)"
  tags        = ["team-platform"]

  configuration = {
    "jira.host" = "https://acme.atlassian.net"
    username    = "ci-bot@acme.example"
  }
  secret_configuration = {
    password = var.jira_api_token
  }
}

variable "jira_api_token" {
  type      = string
  sensitive = true
}
