variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "pull_principal_ids" { type = list(string) }
variable "push_principal_ids" { type = list(string) }
variable "log_analytics_workspace_id" { type = string }
variable "tags" { type = map(string) }

# Entra-only access (no admin user): the apps pull with their managed identities, the pipeline pushes
# with its workload identity. Standard has no private endpoint; images are not secrets, and the
# registry's firewall needs Premium (see docs/decisions/002).
resource "azurerm_container_registry" "main" {
  name                = var.name
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "Standard"
  admin_enabled       = false
  tags                = var.tags
}

resource "azurerm_role_assignment" "pull" {
  count                = length(var.pull_principal_ids)
  scope                = azurerm_container_registry.main.id
  role_definition_name = "AcrPull"
  principal_id         = var.pull_principal_ids[count.index]
  principal_type       = "ServicePrincipal"
}

resource "azurerm_role_assignment" "push" {
  for_each             = toset(var.push_principal_ids)
  scope                = azurerm_container_registry.main.id
  role_definition_name = "AcrPush"
  principal_id         = each.value
}

module "diagnostics" {
  source                     = "../diagnostics"
  target_resource_id         = azurerm_container_registry.main.id
  log_analytics_workspace_id = var.log_analytics_workspace_id
}

output "login_server" {
  value = azurerm_container_registry.main.login_server
  # Apps must not be created before their identities may pull.
  depends_on = [azurerm_role_assignment.pull]
}

output "name" {
  value = azurerm_container_registry.main.name
}
