variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "address_space" { type = string }
variable "tags" { type = map(string) }

locals {
  # Fixed carving of the /16: apps need a /23 for a workload-profiles environment; PostgreSQL needs
  # a delegated subnet of its own; private endpoints share one.
  apps_prefix              = cidrsubnet(var.address_space, 7, 0)
  postgres_prefix          = cidrsubnet(var.address_space, 12, 64)
  private_endpoints_prefix = cidrsubnet(var.address_space, 11, 33)
  private_zones = {
    redis = "privatelink.redis.cache.windows.net"
    vault = "privatelink.vaultcore.azure.net"
  }
}

resource "azurerm_virtual_network" "main" {
  name                = "vnet-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  address_space       = [var.address_space]
  tags                = var.tags
}

resource "azurerm_subnet" "apps" {
  name                 = "snet-apps"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = [local.apps_prefix]
  delegation {
    name = "container-apps"
    service_delegation {
      name    = "Microsoft.App/environments"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

resource "azurerm_subnet" "postgres" {
  name                 = "snet-postgres"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = [local.postgres_prefix]
  delegation {
    name = "postgres-flexible"
    service_delegation {
      name    = "Microsoft.DBforPostgreSQL/flexibleServers"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

resource "azurerm_subnet" "private_endpoints" {
  name                 = "snet-private-endpoints"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = [local.private_endpoints_prefix]
}

# PostgreSQL Flexible Server with private access resolves through a zone named *.postgres.database.azure.com.
resource "azurerm_private_dns_zone" "postgres" {
  name                = "${var.name}.private.postgres.database.azure.com"
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "postgres" {
  name                  = "postgres"
  resource_group_name   = var.resource_group_name
  private_dns_zone_name = azurerm_private_dns_zone.postgres.name
  virtual_network_id    = azurerm_virtual_network.main.id
  tags                  = var.tags
}

resource "azurerm_private_dns_zone" "private_link" {
  for_each            = local.private_zones
  name                = each.value
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "private_link" {
  for_each              = local.private_zones
  name                  = each.key
  resource_group_name   = var.resource_group_name
  private_dns_zone_name = azurerm_private_dns_zone.private_link[each.key].name
  virtual_network_id    = azurerm_virtual_network.main.id
  tags                  = var.tags
}

output "vnet_id" {
  value = azurerm_virtual_network.main.id
}

output "apps_subnet_id" {
  value = azurerm_subnet.apps.id
}

output "postgres_subnet_id" {
  value = azurerm_subnet.postgres.id
}

output "private_endpoints_subnet_id" {
  value = azurerm_subnet.private_endpoints.id
}

output "postgres_dns_zone_id" {
  value = azurerm_private_dns_zone.postgres.id
  # The server must not be created before the zone is linked, or its name will not resolve in the VNet.
  depends_on = [azurerm_private_dns_zone_virtual_network_link.postgres]
}

output "private_dns_zone_ids" {
  value = { for key, zone in azurerm_private_dns_zone.private_link : key => zone.id }
}
