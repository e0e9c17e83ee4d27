import {
  to = cloudelements_instance.jira
  identity = {
    id = "12345"
  }
}
