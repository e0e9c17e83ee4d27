# Import by "<common resource id>/<transformation id>".
terraform import cloudelements_common_resource_transformation.contact_freshdesk 8001/8002
