import {
  to = cloudelements_formula.nightly
  id = "5001"
}
