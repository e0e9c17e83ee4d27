import {
  to = cloudelements_common_resource_transformation.contact_freshdesk
  identity = {
    common_resource_id = "8001"
    id                 = "8002"
  }
}
