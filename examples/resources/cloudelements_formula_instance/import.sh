# Import by "<formula id>/<formula instance id>".
terraform import cloudelements_formula_instance.sync 5001/5002
