import {
  to = cloudelements_freshdesk_instance.example
  identity = {
    id = "12345"
  }
}
