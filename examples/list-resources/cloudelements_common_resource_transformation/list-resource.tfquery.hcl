# transformations.tfquery.hcl: run with `terraform query` (Terraform 1.14 and later).
list "cloudelements_common_resource_transformation" "contact" {
  provider         = cloudelements
  include_resource = true

  config {
    common_resource_id = "8001" # optional (a literal or a variable): without it, those of every common resource
  }
}
