# formula-instances.tfquery.hcl: run with `terraform query` (Terraform 1.14 and later).
list "cloudelements_formula_instance" "on_helpdesk" {
  provider         = cloudelements
  include_resource = true

  config {
    element_instance_id = "12345" # only those bound to this element instance
    # formula_id        = "5001"  # optional: only the instances of this formula
  }
}
