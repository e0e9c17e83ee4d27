import {
  to = cloudelements_common_resource.contact
  identity = {
    id = "7001"
  }
}
