# Formulas that already exist in this account under the name of an export
# are adopted (imported), not created a second time: a formula's name is
# unique in an account. Once managed, these import blocks change nothing.

data "cloudelements_formulas" "here" {}

locals {
  ids_here = { for f in data.cloudelements_formulas.here.formulas : f.name => f.id }
}

import {
  for_each = { for k, f in local.sub_formulas : k => local.ids_here[f.name] if contains(keys(local.ids_here), f.name) }
  to       = cloudelements_formula.sub[each.key]
  id       = each.value
}

import {
  for_each = { for k, f in local.formulas : k => local.ids_here[f.name] if contains(keys(local.ids_here), f.name) }
  to       = cloudelements_formula.this[each.key]
  id       = each.value
}
