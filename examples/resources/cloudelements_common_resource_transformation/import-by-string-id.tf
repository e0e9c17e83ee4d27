import {
  to = cloudelements_common_resource_transformation.contact_freshdesk
  id = "8001/8002" # "<common resource id>/<transformation id>"
}
