# A sub-formula, called by the formula below.
resource "cloudelements_formula" "notify" {
  name = "notify-ops"
  steps = {
    send = {
      type       = "script"
      properties = jsonencode({ scriptEngine = "v2", body = "done(true);" })
    }
  }
}

resource "cloudelements_formula" "sync" {
  name        = "sync-tickets"
  description = "Checks new Freshdesk tickets and notifies"
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
      # Terraform creates the sub-formula first; every environment gets its own id.
      properties = jsonencode({ formulaId = cloudelements_formula.notify.id })
    }
  }
}
