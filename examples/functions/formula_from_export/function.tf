# A formula from its export (usually file("exports/sync-tickets.json"); inline
# here). Its step "notify" calls formula 48213 of the exporting account, which
# is cloudelements_formula.notify in this one. In a heredoc, $${...} keeps a
# formula variable from being read as a Terraform template.
locals {
  sync_export = <<-EOT
    {
      "id": 48240,
      "name": "sync-tickets",
      "accountId": 1870,
      "createdDate": "2023-03-15T11:02:17Z",
      "active": true,
      "description": "Checks new tickets and notifies operations",
      "configuration": [{ "id": 66120, "key": "helpdesk", "name": "Helpdesk", "type": "elementInstance" }],
      "triggers": [{
        "id": 90322, "type": "event", "onSuccess": ["check"], "onFailure": [],
        "properties": { "elementInstanceId": "$${helpdesk}" }
      }],
      "steps": [
        { "id": 770430, "name": "check", "type": "filter", "onSuccess": ["notify"], "onFailure": [],
          "properties": { "body": "done(trigger.event.eventType === 'CREATED');" } },
        { "id": 770431, "name": "notify", "type": "formula", "onSuccess": [], "onFailure": [],
          "properties": { "formulaId": 48213 } }
      ]
    }
  EOT

  sync = provider::cloudelements::formula_from_export(local.sync_export, {
    "48213" = cloudelements_formula.notify.id
  })
}

resource "cloudelements_formula" "notify" {
  name = "notify-ops"
  steps = {
    post = {
      type       = "script"
      properties = jsonencode({ scriptEngine = "v2", body = "done(true);" })
    }
  }
}

resource "cloudelements_formula" "sync" {
  name            = local.sync.name
  description     = local.sync.description
  active          = local.sync.active
  single_threaded = local.sync.single_threaded
  configuration   = local.sync.configuration
  triggers        = local.sync.triggers
  steps           = local.sync.steps
}
