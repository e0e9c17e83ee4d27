# A sub-formula, called by the formula below.
resource "cloudelements_formula" "alert" {
  name = "alert-on-call"
  steps = {
    page = {
      type       = "script"
      properties = jsonencode({ scriptEngine = "v2", body = "done({ paged: true });" })
    }
  }
}

resource "cloudelements_formula" "nightly" {
  name        = "nightly-ticket-report"
  description = "Every night, counts open tickets and pages on a backlog"
  configuration = [
    { key = "helpdesk", name = "Helpdesk", type = "elementInstance" },
    { key = "threshold", name = "Backlog threshold", type = "value" },
  ]
  triggers = [{
    type       = "scheduled"
    on_success = ["count-open"]
    properties = jsonencode({ cron = "0 0 2 ? * *" })
  }]
  steps = {
    count-open = {
      type       = "elementRequest"
      on_success = ["over-threshold"]
      properties = jsonencode({ elementInstanceId = "$${helpdesk}", method = "GET", api = "/hubs/helpdesk/incidents" })
    }
    over-threshold = {
      type       = "filter"
      on_success = ["page"]
      properties = jsonencode({ body = "done(steps['count-open'].response.body.length > config.threshold);" })
    }
    page = {
      type = "formula"
      # Terraform creates the sub-formula first; every environment gets its own id.
      properties = jsonencode({ formulaId = cloudelements_formula.alert.id })
    }
  }
}
