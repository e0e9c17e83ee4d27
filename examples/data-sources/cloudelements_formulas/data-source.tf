data "cloudelements_formulas" "all" {}

output "formula_names" {
  value = [for f in data.cloudelements_formulas.all.formulas : f.name]
}
