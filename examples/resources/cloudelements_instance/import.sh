# Import by the instance's numeric id. The first apply with the secrets in
# configuration adopts them without any API call.
terraform import cloudelements_instance.jira 12345
