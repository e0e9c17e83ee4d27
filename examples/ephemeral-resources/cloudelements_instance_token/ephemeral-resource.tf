# Terraform 1.10 and later: read an instance's token without storing it in the
# plan or state, e.g. to hand it to another provider's write-only argument or
# to a provider configuration.
ephemeral "cloudelements_instance_token" "helpdesk" {
  id = "12345"
}

locals {
  # The header for calling the helpdesk hub with this instance.
  helpdesk_authorization = "User ${var.cloudelements_user_secret}, Element ${ephemeral.cloudelements_instance_token.helpdesk.token}"
}

variable "cloudelements_user_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
