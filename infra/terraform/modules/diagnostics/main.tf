variable "target_resource_id" { type = string }
variable "log_analytics_workspace_id" { type = string }

variable "log_category_group" {
  description = "allLogs for most resources; audit for Key Vault (who read which secret)."
  type        = string
  default     = "allLogs"
}

# Every data-plane resource sends its logs and metrics to the environment's Log Analytics workspace.
resource "azurerm_monitor_diagnostic_setting" "to_log_analytics" {
  name                       = "to-log-analytics"
  target_resource_id         = var.target_resource_id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category_group = var.log_category_group
  }

  enabled_metric {
    category = "AllMetrics"
  }
}
