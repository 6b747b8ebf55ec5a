terraform {
  required_version = ">= 1.9"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.50"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
    time = {
      source  = "hashicorp/time"
      version = "~> 0.12"
    }
  }

  # State lives in an Azure Storage container per environment; see docs/deployment.md
  # (terraform init -backend-config=environments/<env>.backend.hcl).
  backend "azurerm" {}
}

# The subscription comes from ARM_SUBSCRIPTION_ID, so one configuration serves every subscription.
provider "azurerm" {
  storage_use_azuread = true
  features {
    key_vault {
      purge_soft_delete_on_destroy = false
    }
  }
}
