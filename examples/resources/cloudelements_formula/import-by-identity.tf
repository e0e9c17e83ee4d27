import {
  to = cloudelements_formula.nightly
  identity = {
    id = "5001"
  }
}
