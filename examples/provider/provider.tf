terraform {
  required_providers {
    cloudelements = {
      source = "cloudelements/cloudelements"
    }
  }
}

# Secrets never belong in HCL. Leave user_secret and organization_secret out
# and export CLOUDELEMENTS_USER_SECRET and CLOUDELEMENTS_ORGANIZATION_SECRET
# (and optionally CLOUDELEMENTS_BASE_URL and CLOUDELEMENTS_MAX_RETRIES), or pass
# them in through sensitive variables as below. Configuration wins over the
# environment.
provider "cloudelements" {
  base_url            = "https://api.cloud-elements.com/elements/api-v2"
  user_secret         = var.cloudelements_user_secret
  organization_secret = var.cloudelements_organization_secret
  max_retries         = 5
}

variable "cloudelements_user_secret" {
  description = "The Cloud Elements user secret (set TF_VAR_cloudelements_user_secret)."
  type        = string
  sensitive   = true
}

variable "cloudelements_organization_secret" {
  description = "The Cloud Elements organization secret (set TF_VAR_cloudelements_organization_secret)."
  type        = string
  sensitive   = true
}
