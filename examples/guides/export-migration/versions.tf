terraform {
  # Provider-defined functions need Terraform 1.8 or later.
  required_version = ">= 1.8.0"
  required_providers {
    cloudelements = {
      source = "cloudelements/cloudelements"
    }
  }
}
