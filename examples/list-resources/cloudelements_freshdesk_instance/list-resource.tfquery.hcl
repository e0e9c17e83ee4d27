# find.tfquery.hcl: run with `terraform query` (Terraform 1.14 and later).
list "cloudelements_freshdesk_instance" "support" {
  provider         = cloudelements
  include_resource = true # every attribute, for -generate-config-out
  limit            = 1000 # Terraform's default is 100 results

  config {
    tags = ["support"] # every one of these tags must be on the instance
    # name = "acme-helpdesk" # optional: this exact name only
  }
}
