# common-resources.tfquery.hcl: run with `terraform query -generate-config-out=common-resources.tf`
# (Terraform 1.14 and later) to take every common resource of an account under management.
list "cloudelements_common_resource" "all" {
  provider         = cloudelements
  include_resource = true # every attribute, for -generate-config-out
  limit            = 1000 # Terraform's default is 100 results
}
