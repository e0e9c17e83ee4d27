# Import by the formula's numeric id.
terraform import cloudelements_formula.sync 5001
