# A formula managed elsewhere, called as a sub-formula.
data "cloudelements_formula" "shared_notify" {
  name = "notify-ops"
}

output "notify_formula_id" {
  value = data.cloudelements_formula.shared_notify.id
}
