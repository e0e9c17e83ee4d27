# find.tfquery.hcl: run with `terraform query` (Terraform 1.14 and later).
list "cloudelements_instance" "jira" {
  provider         = cloudelements
  include_resource = true # every attribute, for -generate-config-out
  limit            = 500  # Terraform's default is 100 results

  config {
    element_key = "jira"         # optional: one element (any element when unset)
    tags        = ["team-infra"] # every one of these tags must be on the instance
    # name      = "Jira (engineering)" # optional: this exact name only
  }
}
