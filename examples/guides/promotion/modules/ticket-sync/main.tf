# The integration module of the guide "Promoting an integration between
# environments": apply it once per environment, each with its own provider
# configuration. Every id is that environment's own; nothing is remapped.

variable "environment" {
  type        = string
  description = "A short name for the environment, e.g. dev or prod."
}

variable "freshdesk_subdomain" {
  type = string
}

variable "freshdesk_api_key" {
  type      = string
  sensitive = true
}

variable "notification_email" {
  type    = string
  default = "ops@example.com"
}

resource "cloudelements_freshdesk_instance" "helpdesk" {
  name      = "helpdesk-${var.environment}"
  subdomain = var.freshdesk_subdomain
  api_key   = var.freshdesk_api_key
}

# A sub-formula: called by the formula below.
resource "cloudelements_formula" "notify" {
  name = "notify"
  steps = {
    send = {
      type       = "script"
      properties = jsonencode({ scriptEngine = "v2", body = "done(true);" })
    }
  }
}

resource "cloudelements_formula" "sync" {
  name        = "sync-tickets"
  description = "Checks new tickets and notifies"
  configuration = [
    { key = "helpdesk", name = "Helpdesk", type = "elementInstance" },
  ]
  triggers = [{
    type       = "event"
    on_success = ["check"]
    properties = jsonencode({ elementInstanceId = "$${helpdesk}" })
  }]
  steps = {
    check = {
      type       = "script"
      on_success = ["notify"]
      properties = jsonencode({ scriptEngine = "v2", body = "done(trigger.event.objectType === 'tickets');" })
    }
    notify = {
      type = "formula"
      # This environment's sub-formula: Terraform creates it first.
      properties = jsonencode({ formulaId = cloudelements_formula.notify.id })
    }
  }
}

resource "cloudelements_formula_instance" "sync" {
  formula_id         = cloudelements_formula.sync.id
  name               = "sync-tickets-${var.environment}"
  configuration      = { helpdesk = cloudelements_freshdesk_instance.helpdesk.id }
  notification_email = var.notification_email
}

output "ids" {
  description = "This environment's ids."
  value = {
    helpdesk         = cloudelements_freshdesk_instance.helpdesk.id
    notify           = cloudelements_formula.notify.id
    sync             = cloudelements_formula.sync.id
    formula_instance = cloudelements_formula_instance.sync.id
  }
}
