# terraform init -backend-config=environments/dev.backend.hcl
resource_group_name  = "rg-switchboard-tfstate-aue"
storage_account_name = "stswitchboardtfstate"
container_name       = "tfstate"
key                  = "switchboard-dev.tfstate"
use_azuread_auth     = true
