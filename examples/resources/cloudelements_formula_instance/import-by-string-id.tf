import {
  to = cloudelements_formula_instance.sync
  id = "5001/5002" # "<formula id>/<formula instance id>"
}
