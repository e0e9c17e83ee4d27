# Terraform 1.14 and later. Run a formula instance now, by hand or from CI:
#
#   terraform apply -invoke=action.cloudelements_formula_instance_execute.smoke
#
# Terraform shows each step as it runs and fails with the failing step's name
# and error when the execution fails.
action "cloudelements_formula_instance_execute" "smoke" {
  config {
    formula_id          = "5001"                     # e.g. cloudelements_formula_instance.smoke.formula_id
    formula_instance_id = "5002"                     # e.g. cloudelements_formula_instance.smoke.id
    input               = jsonencode({ order = 42 }) # the trigger's event body
    # wait = false                                   # return once the run has started
    timeouts = {
      invoke = "30m" # how long to wait for the run to end (default 10m)
    }
  }
}
