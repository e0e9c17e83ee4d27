# Import by the instance's numeric id (shown in the Cloud Elements console and
# returned by GET /instances).
terraform import cloudelements_freshdesk_instance.example 12345
