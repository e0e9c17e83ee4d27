# Import every Freshdesk instance tagged "support" (Terraform 1.7 and later).
data "cloudelements_instances" "support" {
  element_key = "freshdeskv2"
  tags        = ["support"]
}

locals {
  helpdesks = { for i in data.cloudelements_instances.support.instances : i.id => i }
}

import {
  for_each = local.helpdesks
  to       = cloudelements_freshdesk_instance.helpdesk[each.key]
  id       = each.key
}

resource "cloudelements_freshdesk_instance" "helpdesk" {
  for_each = local.helpdesks

  name                  = each.value.name
  subdomain             = each.value.subdomain
  tags                  = length(each.value.tags) > 0 ? each.value.tags : null # an import records no tags as null
  enabled               = each.value.enabled
  filter_response_nulls = each.value.filter_response_nulls
  events                = each.value.events # polling or webhooks as they are; null when off
  # No API key: adopting an instance needs none (see "The Freshdesk API key").
}
