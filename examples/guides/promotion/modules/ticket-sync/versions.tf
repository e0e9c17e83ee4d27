# A module used with a provider configuration passed from the root declares
# where the provider comes from.
terraform {
  required_providers {
    cloudelements = {
      source = "cloudelements/cloudelements"
    }
  }
}
