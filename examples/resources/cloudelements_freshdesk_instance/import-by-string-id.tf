import {
  to = cloudelements_freshdesk_instance.example
  id = "12345"
}
