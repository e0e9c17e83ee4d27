resource "cloudelements_freshdesk_instance" "helpdesk" {
  name      = "acme-helpdesk"
  subdomain = "acme"
  api_key   = var.freshdesk_api_key
}

resource "cloudelements_formula_instance" "sync" {
  formula_id               = cloudelements_formula.sync.id # see the cloudelements_formula example
  name                     = "sync-acme"
  configuration            = { helpdesk = cloudelements_freshdesk_instance.helpdesk.id }
  notification_email       = "ops@example.com"
  notification_webhook_url = "https://hooks.example.com/formula-failures"
  time_to_live             = 3600
}

resource "cloudelements_formula" "sync" {
  name          = "sync-tickets"
  configuration = [{ key = "helpdesk", name = "Helpdesk", type = "elementInstance" }]
  triggers      = [{ type = "event", on_success = ["check"], properties = jsonencode({ elementInstanceId = "$${helpdesk}" }) }]
  steps = {
    check = { type = "script", properties = jsonencode({ scriptEngine = "v2", body = "done(true);" }) }
  }
}

variable "freshdesk_api_key" {
  type      = string
  sensitive = true
}
