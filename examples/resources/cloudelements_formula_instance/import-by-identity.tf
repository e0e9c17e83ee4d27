import {
  to = cloudelements_formula_instance.sync
  identity = {
    formula_id = "5001"
    id         = "5002"
  }
}
