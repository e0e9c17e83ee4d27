# Actions run on lifecycle events through a terraform_data resource: change
# its input to run them again (Terraform 1.14 and later).

# Re-authenticate with a new API key whenever credentials_version changes.
resource "terraform_data" "rotate_helpdesk_key" {
  input = var.credentials_version
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.cloudelements_instance_reauthenticate.helpdesk]
    }
  }
}

action "cloudelements_instance_reauthenticate" "helpdesk" {
  config {
    instance_id          = "12345"
    secret_configuration = { username = var.new_freshdesk_api_key } # Freshdesk takes its API key as username
  }
}

# Run a smoke-test formula after every deploy.
resource "terraform_data" "deploy" {
  input = var.release
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.cloudelements_formula_instance_execute.smoke]
    }
  }
}

action "cloudelements_formula_instance_execute" "smoke" {
  config {
    formula_id          = "5001"
    formula_instance_id = "5002"
    input               = jsonencode({ release = var.release })
  }
}

variable "credentials_version" {
  type    = number
  default = 1
}

variable "new_freshdesk_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "release" {
  type    = string
  default = "2026.12.1"
}
