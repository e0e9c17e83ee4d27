# The example of the guide "Migrating from the platform's export tool": a
# directory of formula exports (GET /formulas/{id}/export, one formula a
# file) goes under Terraform as it is. Exports of the formulas that others
# call go in exports/sub-formulas/, the rest in exports/. Adding a formula
# is adding its export; no HCL changes.

variable "exports_dir" {
  type        = string
  default     = null
  description = "Where the exports are; exports/ beside this file when not set."
}

locals {
  exports_dir = coalesce(var.exports_dir, "${path.module}/exports")

  # Sub-formulas call no other formula: nothing to map.
  sub_formulas = {
    for f in fileset("${local.exports_dir}/sub-formulas", "*.json") :
    trimsuffix(f, ".json") => provider::cloudelements::formula_from_export(file("${local.exports_dir}/sub-formulas/${f}"), {})
  }
}

resource "cloudelements_formula" "sub" {
  for_each = local.sub_formulas

  name            = each.value.name
  description     = each.value.description
  active          = each.value.active
  single_threaded = each.value.single_threaded
  configuration   = each.value.configuration
  triggers        = each.value.triggers
  steps           = each.value.steps
}

locals {
  # The exporting account's id of each sub-formula -> its id here.
  sub_formula_ids = {
    for k, f in local.sub_formulas : f.source_id => cloudelements_formula.sub[k].id
  }

  formulas = {
    for f in fileset(local.exports_dir, "*.json") :
    trimsuffix(f, ".json") => provider::cloudelements::formula_from_export(file("${local.exports_dir}/${f}"), local.sub_formula_ids)
  }
}

resource "cloudelements_formula" "this" {
  for_each = local.formulas

  name            = each.value.name
  description     = each.value.description
  active          = each.value.active
  single_threaded = each.value.single_threaded
  configuration   = each.value.configuration
  triggers        = each.value.triggers
  steps           = each.value.steps
}

output "formula_ids" {
  description = "Each export's file name -> the id of its formula here."
  value       = merge({ for k, f in cloudelements_formula.sub : k => f.id }, { for k, f in cloudelements_formula.this : k => f.id })
}
