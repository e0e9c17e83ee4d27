# By id, any element.
data "cloudelements_instance" "by_id" {
  id = "12345"
}

# By exact name, narrowed to one element.
data "cloudelements_instance" "jira" {
  name        = "Jira (engineering)"
  element_key = "jira"
}

output "jira_host" {
  value = data.cloudelements_instance.jira.configuration["jira.host"]
}
