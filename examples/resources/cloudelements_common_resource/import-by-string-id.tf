import {
  to = cloudelements_common_resource.contact
  id = "7001"
}
