variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "delegated_subnet_id" { type = string }
variable "private_dns_zone_id" { type = string }
variable "sku_name" { type = string }
variable "storage_mb" { type = number }
variable "backup_retention_days" { type = number }
variable "high_availability" { type = bool }
variable "geo_redundant_backup" { type = bool }
variable "log_analytics_workspace_id" { type = string }
variable "tags" { type = map(string) }

# Letters and digits only, so the password needs no escaping inside DATABASE_URL.
resource "random_password" "administrator" {
  length  = 40
  special = false
}

# The apps' login, switchboard_app: created by the least-privilege migration and given this
# password by the migration job (scripts/migrate.ts), so the apps never hold the owner's login.
resource "random_password" "app" {
  length  = 40
  special = false
}

# Private access (VNet integration): no public endpoint exists, only the delegated subnet's address.
resource "azurerm_postgresql_flexible_server" "main" {
  name                          = var.name
  location                      = var.location
  resource_group_name           = var.resource_group_name
  version                       = "15"
  sku_name                      = var.sku_name
  storage_mb                    = var.storage_mb
  auto_grow_enabled             = true
  backup_retention_days         = var.backup_retention_days
  geo_redundant_backup_enabled  = var.geo_redundant_backup
  delegated_subnet_id           = var.delegated_subnet_id
  private_dns_zone_id           = var.private_dns_zone_id
  public_network_access_enabled = false
  administrator_login           = "switchboard"
  administrator_password        = random_password.administrator.result
  zone                          = "1"
  tags                          = var.tags

  dynamic "high_availability" {
    for_each = var.high_availability ? [1] : []
    content {
      mode                      = "ZoneRedundant"
      standby_availability_zone = "2"
    }
  }

  maintenance_window {
    day_of_week  = 0
    start_hour   = 16
    start_minute = 0
  }

  lifecycle {
    # Azure may move the primary to the standby's zone after a failover.
    ignore_changes = [zone, high_availability[0].standby_availability_zone]
  }
}

resource "azurerm_postgresql_flexible_server_database" "switchboard" {
  name      = "switchboard"
  server_id = azurerm_postgresql_flexible_server.main.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

module "diagnostics" {
  source                     = "../diagnostics"
  target_resource_id         = azurerm_postgresql_flexible_server.main.id
  log_analytics_workspace_id = var.log_analytics_workspace_id
}

output "fqdn" {
  value = azurerm_postgresql_flexible_server.main.fqdn
}

output "server_id" {
  value = azurerm_postgresql_flexible_server.main.id
}

output "server_name" {
  value = azurerm_postgresql_flexible_server.main.name
}

output "connection_url" {
  description = "DATABASE_OWNER_URL: the tables' owner, for the migration job alone (TLS required by the server)."
  value       = "postgresql://${azurerm_postgresql_flexible_server.main.administrator_login}:${random_password.administrator.result}@${azurerm_postgresql_flexible_server.main.fqdn}:5432/${azurerm_postgresql_flexible_server_database.switchboard.name}?sslmode=require"
  sensitive   = true
}

output "app_connection_url" {
  description = "DATABASE_URL for web, worker and ingest: switchboard_app, which may only append to and read the audit trail."
  value       = "postgresql://switchboard_app:${random_password.app.result}@${azurerm_postgresql_flexible_server.main.fqdn}:5432/${azurerm_postgresql_flexible_server_database.switchboard.name}?sslmode=require"
  sensitive   = true
}
