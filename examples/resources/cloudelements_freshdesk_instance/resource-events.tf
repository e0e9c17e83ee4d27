# Events: the platform polls Freshdesk every poller_refresh_interval minutes
# and posts changes to callback_url, signed with signature_key.
resource "cloudelements_freshdesk_instance" "with_events" {
  name      = "acme-helpdesk-events"
  subdomain = "acme"
  api_key   = var.freshdesk_events_api_key

  events = {
    enabled                 = true
    vendor_type             = "polling"
    callback_url            = "https://hooks.example.com/cloudelements/freshdesk"
    poller_refresh_interval = 15
    # Which hub resources the poller reads, and how it finds the changed ones.
    poller_configuration = jsonencode({
      incidents = {
        url     = "/hubs/helpdesk/incidents?where=updated_at>='$${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}'"
        idField = "id"
      }
    })
    signature_key = var.freshdesk_events_signature_key
  }
}

variable "freshdesk_events_api_key" {
  type      = string
  sensitive = true
}

variable "freshdesk_events_signature_key" {
  type      = string
  sensitive = true
}

output "freshdesk_events_webhook_url" {
  description = "Where Freshdesk should post webhooks when vendor_type is \"webhook\"."
  value       = cloudelements_freshdesk_instance.with_events.events.webhook_url
}
