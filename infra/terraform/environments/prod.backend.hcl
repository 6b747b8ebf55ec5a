# terraform init -backend-config=environments/prod.backend.hcl
resource_group_name  = "rg-switchboard-tfstate-aue"
storage_account_name = "stswitchboardtfstate"
container_name       = "tfstate"
key                  = "switchboard-prod.tfstate"
use_azuread_auth     = true
