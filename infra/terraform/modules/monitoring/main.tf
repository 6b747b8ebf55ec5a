variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "retention_in_days" { type = number }
variable "tags" { type = map(string) }

# Container Apps console logs (the pino JSON lines) land in ContainerAppConsoleLogs_CL; resource
# diagnostic settings of the data stores land in AzureDiagnostics / resource-specific tables.
resource "azurerm_log_analytics_workspace" "main" {
  name                = "log-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "PerGB2018"
  retention_in_days   = var.retention_in_days
  tags                = var.tags
}

output "workspace_id" {
  value = azurerm_log_analytics_workspace.main.id
}

output "workspace_customer_id" {
  description = "The workspace (customer) id that `az monitor log-analytics query -w` takes."
  value       = azurerm_log_analytics_workspace.main.workspace_id
}
