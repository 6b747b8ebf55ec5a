variable "name" { type = string }
variable "resource_group_name" { type = string }
variable "emails" { type = list(string) }
variable "postgres_server_id" { type = string }
variable "redis_id" { type = string }
variable "web_app_id" { type = string }
variable "worker_app_id" { type = string }
variable "tags" { type = map(string) }

# The signals that precede an outage here: Redis filling up (BullMQ needs noeviction, so a full Redis
# refuses writes), PostgreSQL running out of storage or CPU, and containers restarting in a loop.
locals {
  alerts = {
    redis-memory = {
      scope       = var.redis_id
      namespace   = "Microsoft.Cache/redis"
      metric      = "usedmemorypercentage"
      aggregation = "Maximum"
      threshold   = 80
      severity    = 2
      description = "Redis above 80% memory: writes fail at 100% under noeviction. Check removeOnComplete, then scale (docs/runbook.md)."
    }
    postgres-storage = {
      scope       = var.postgres_server_id
      namespace   = "Microsoft.DBforPostgreSQL/flexibleServers"
      metric      = "storage_percent"
      aggregation = "Maximum"
      threshold   = 85
      severity    = 2
      description = "PostgreSQL storage above 85% (auto-grow is on; check it is growing)."
    }
    postgres-cpu = {
      scope       = var.postgres_server_id
      namespace   = "Microsoft.DBforPostgreSQL/flexibleServers"
      metric      = "cpu_percent"
      aggregation = "Average"
      threshold   = 90
      severity    = 3
      description = "PostgreSQL CPU above 90% for 15 minutes: look for heavy queries, or scale the SKU."
    }
    web-restarts = {
      scope       = var.web_app_id
      namespace   = "Microsoft.App/containerApps"
      metric      = "RestartCount"
      aggregation = "Maximum"
      threshold   = 3
      severity    = 1
      description = "Web replicas restarting: failing liveness probes or a crash at start-up (often configuration)."
    }
    worker-restarts = {
      scope       = var.worker_app_id
      namespace   = "Microsoft.App/containerApps"
      metric      = "RestartCount"
      aggregation = "Maximum"
      threshold   = 3
      severity    = 1
      description = "Worker replicas restarting: check ContainerAppConsoleLogs_CL for the worker's last lines."
    }
  }
}

resource "azurerm_monitor_action_group" "operators" {
  name                = "ag-${var.name}"
  resource_group_name = var.resource_group_name
  short_name          = "switchboard"
  tags                = var.tags

  dynamic "email_receiver" {
    for_each = var.emails
    content {
      name                    = "operator-${email_receiver.key}"
      email_address           = email_receiver.value
      use_common_alert_schema = true
    }
  }
}

resource "azurerm_monitor_metric_alert" "alerts" {
  for_each            = local.alerts
  name                = "alert-${var.name}-${each.key}"
  resource_group_name = var.resource_group_name
  scopes              = [each.value.scope]
  description         = each.value.description
  severity            = each.value.severity
  frequency           = "PT5M"
  window_size         = "PT15M"
  tags                = var.tags

  criteria {
    metric_namespace = each.value.namespace
    metric_name      = each.value.metric
    aggregation      = each.value.aggregation
    operator         = "GreaterThan"
    threshold        = each.value.threshold
  }

  action {
    action_group_id = azurerm_monitor_action_group.operators.id
  }
}
