# Give the secrets as TF_VAR_... environment variables from the CI system's
# secret store, e.g. TF_VAR_dev_user_secret; never in a .tfvars file.

variable "dev_base_url" {
  type        = string
  description = "The development account's platform host (see the provider page for each region)."
  default     = "https://staging.cloud-elements.com/elements/api-v2"
}

variable "prod_base_url" {
  type        = string
  description = "The production account's platform host."
  default     = "https://api.cloud-elements.com/elements/api-v2"
}

variable "dev_user_secret" {
  type      = string
  sensitive = true
}

variable "dev_organization_secret" {
  type      = string
  sensitive = true
}

variable "prod_user_secret" {
  type      = string
  sensitive = true
}

variable "prod_organization_secret" {
  type      = string
  sensitive = true
}

variable "dev_freshdesk_api_key" {
  type      = string
  sensitive = true
}

variable "prod_freshdesk_api_key" {
  type      = string
  sensitive = true
}
