# Terraform 1.14 and later. Re-authenticate an OAuth instance by hand after
# its grant was revoked: get a code from the browser step (see the
# cloudelements_oauth_url ephemeral resource), then
#
#   TF_VAR_oauth_code=... terraform apply -invoke=action.cloudelements_instance_reauthenticate.crm
#
# The code is write-only: it never reaches the plan or state. The next plan
# refreshes the instance's new token and shows no change.
action "cloudelements_instance_reauthenticate" "crm" {
  config {
    instance_id = "12345" # e.g. cloudelements_instance.crm.id
    oauth_code  = var.oauth_code
    timeouts = {
      invoke = "5m"
    }
  }
}

variable "oauth_code" {
  type      = string
  sensitive = true
  ephemeral = true # never stored in the plan or state
}
