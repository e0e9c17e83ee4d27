import {
  to = cloudelements_instance.jira
  id = "12345"
}
