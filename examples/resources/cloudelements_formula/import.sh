# Import by the formula's numeric id.
terraform import cloudelements_formula.nightly 5001
