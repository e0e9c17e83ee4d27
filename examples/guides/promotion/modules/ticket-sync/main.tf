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

# The canonical contact the formula reads, whatever helpdesk holds it.
resource "cloudelements_common_resource" "contact" {
  object_name  = "myContact"
  display_name = "Contact"
  fields = [
    { path = "email", type = "string" },
    { path = "name", type = "string" },
  ]
}

# The contact mapped onto this environment's Freshdesk instance (instance
# level): the formula's requests through it answer myContact.
resource "cloudelements_common_resource_transformation" "contact_helpdesk" {
  common_resource_id = cloudelements_common_resource.contact.id
  instance_id        = cloudelements_freshdesk_instance.helpdesk.id
  vendor_name        = "contacts"
  fields = [
    { path = "email", type = "string", vendor_path = "email" },
    { path = "name", type = "string", vendor_path = "name" },
  ]
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
      on_success = ["contacts"]
      properties = jsonencode({ scriptEngine = "v2", body = "done(trigger.event.objectType === 'tickets');" })
    }
    # The helpdesk's contacts as myContact records, through the
    # transformation: the formula reads the common resource, not Freshdesk.
    contacts = {
      type       = "elementRequest"
      on_success = ["notify"]
      properties = jsonencode({
        elementInstanceId = "$${helpdesk}"
        method            = "GET"
        api               = "/hubs/helpdesk/${cloudelements_common_resource.contact.object_name}"
      })
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
  # An instance runs as soon as it exists: its requests need the mapping.
  depends_on = [cloudelements_common_resource_transformation.contact_helpdesk]
}

output "ids" {
  description = "This environment's ids."
  value = {
    helpdesk         = cloudelements_freshdesk_instance.helpdesk.id
    contact          = cloudelements_common_resource.contact.id
    contact_helpdesk = cloudelements_common_resource_transformation.contact_helpdesk.id
    notify           = cloudelements_formula.notify.id
    sync             = cloudelements_formula.sync.id
    formula_instance = cloudelements_formula_instance.sync.id
  }
}
