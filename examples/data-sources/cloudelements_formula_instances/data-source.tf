# The formula instances bound to one element instance.
data "cloudelements_formula_instances" "on_helpdesk" {
  element_instance_id = "12345"
}

output "formula_instance_ids" {
  value = [for fi in data.cloudelements_formula_instances.on_helpdesk.formula_instances : fi.id]
}
