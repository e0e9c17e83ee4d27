# Import by the common resource's numeric id.
terraform import cloudelements_common_resource.contact 7001
