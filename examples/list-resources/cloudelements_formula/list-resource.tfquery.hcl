# formulas.tfquery.hcl: run with `terraform query -generate-config-out=formulas.tf`
# (Terraform 1.14 and later) to take every formula of an account under management.
list "cloudelements_formula" "all" {
  provider         = cloudelements
  include_resource = true # every attribute, for -generate-config-out
  limit            = 1000 # Terraform's default is 100 results
}
