# The root of the guide "Promoting an integration between environments": the
# module in modules/ticket-sync applied to a development and a production
# account, each through its own provider configuration.
terraform {
  required_providers {
    cloudelements = {
      source = "cloudelements/cloudelements"
    }
  }
}

provider "cloudelements" {
  alias               = "dev"
  base_url            = var.dev_base_url
  user_secret         = var.dev_user_secret
  organization_secret = var.dev_organization_secret
}

provider "cloudelements" {
  alias               = "prod"
  base_url            = var.prod_base_url
  user_secret         = var.prod_user_secret
  organization_secret = var.prod_organization_secret
}

module "dev" {
  source              = "./modules/ticket-sync"
  providers           = { cloudelements = cloudelements.dev }
  environment         = "dev"
  freshdesk_subdomain = "acme-sandbox"
  freshdesk_api_key   = var.dev_freshdesk_api_key
}

module "prod" {
  source              = "./modules/ticket-sync"
  providers           = { cloudelements = cloudelements.prod }
  environment         = "prod"
  freshdesk_subdomain = "acme"
  freshdesk_api_key   = var.prod_freshdesk_api_key
}

output "dev" {
  description = "The development account's ids."
  value       = module.dev.ids
}

output "prod" {
  description = "The production account's ids."
  value       = module.prod.ids
}
