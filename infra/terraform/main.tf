# Switchboard's own resources for one environment. Names follow <type>-<workload>-<env>-<region>;
# globally unique names (ACR, Key Vault, PostgreSQL, Redis) add var.global_name_suffix when taken.

data "azurerm_client_config" "current" {}

locals {
  region_short = lookup({ australiaeast = "aue", australiasoutheast = "ause", australiacentral = "auc" }, var.location, var.location)
  name         = "${var.workload}-${var.environment}-${local.region_short}"
  unique_name  = "${local.name}${var.global_name_suffix}"
  tags = merge(var.tags, {
    workload    = var.workload
    environment = var.environment
    managed-by  = "terraform"
  })
}

resource "azurerm_resource_group" "main" {
  name     = "rg-${local.name}"
  location = var.location
  tags     = local.tags
}

# One identity per process kind, so the web app and the workers can be granted different things.
resource "azurerm_user_assigned_identity" "web" {
  name                = "id-${local.name}-web"
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

resource "azurerm_user_assigned_identity" "worker" {
  name                = "id-${local.name}-worker"
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

module "monitoring" {
  source              = "./modules/monitoring"
  name                = local.name
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name
  retention_in_days   = var.environment == "prod" ? 90 : 30
  tags                = local.tags
}

module "network" {
  source              = "./modules/network"
  name                = local.name
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name
  address_space       = var.vnet_address_space
  tags                = local.tags
}

module "registry" {
  source                     = "./modules/registry"
  name                       = replace("cr${local.unique_name}", "-", "")
  location                   = var.location
  resource_group_name        = azurerm_resource_group.main.name
  pull_principal_ids         = [azurerm_user_assigned_identity.web.principal_id, azurerm_user_assigned_identity.worker.principal_id]
  push_principal_ids         = var.acr_pushers
  log_analytics_workspace_id = module.monitoring.workspace_id
  tags                       = local.tags
}

module "postgres" {
  source                     = "./modules/postgres"
  name                       = "psql-${local.unique_name}"
  location                   = var.location
  resource_group_name        = azurerm_resource_group.main.name
  delegated_subnet_id        = module.network.postgres_subnet_id
  private_dns_zone_id        = module.network.postgres_dns_zone_id
  sku_name                   = var.postgres_sku
  storage_mb                 = var.postgres_storage_mb
  backup_retention_days      = var.postgres_backup_retention_days
  high_availability          = var.postgres_high_availability
  geo_redundant_backup       = var.postgres_geo_redundant_backup
  log_analytics_workspace_id = module.monitoring.workspace_id
  tags                       = local.tags
}

module "redis" {
  source                     = "./modules/redis"
  name                       = "redis-${local.unique_name}"
  location                   = var.location
  resource_group_name        = azurerm_resource_group.main.name
  sku_name                   = var.redis_sku
  capacity                   = var.redis_capacity
  private_endpoint_subnet_id = module.network.private_endpoints_subnet_id
  private_dns_zone_id        = module.network.private_dns_zone_ids["redis"]
  log_analytics_workspace_id = module.monitoring.workspace_id
  tags                       = local.tags
}

module "key_vault" {
  source                     = "./modules/key-vault"
  name                       = "kv-${local.unique_name}"
  location                   = var.location
  resource_group_name        = azurerm_resource_group.main.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  purge_protection           = var.environment == "prod"
  allowed_ip_ranges          = var.operator_ip_ranges
  private_endpoint_subnet_id = module.network.private_endpoints_subnet_id
  private_dns_zone_id        = module.network.private_dns_zone_ids["vault"]
  # Terraform itself writes the generated secrets, so the deploying principal is an officer too.
  secrets_officer_ids = distinct(concat([data.azurerm_client_config.current.object_id], var.key_vault_secrets_officers))
  secrets_user_ids    = [azurerm_user_assigned_identity.web.principal_id, azurerm_user_assigned_identity.worker.principal_id]
  generated_secrets = {
    database-url   = module.postgres.app_connection_url
    redis-url      = module.redis.connection_url
    redis-password = module.redis.access_key
  }
  log_analytics_workspace_id = module.monitoring.workspace_id
  tags                       = local.tags
}

# The audit checkpoints' write-once container; its retention lock is irreversible, so only production locks it.
module "audit_checkpoints" {
  source              = "./modules/audit-checkpoints"
  name                = substr("st${replace(local.unique_name, "-", "")}audit", 0, 24)
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name
  retention_days      = var.audit_checkpoint_retention_days
  locked              = var.environment == "prod"
  writer_principal_id = var.databricks_sp_object_id
  tags                = local.tags
}

module "container_apps" {
  source                     = "./modules/container-apps"
  name                       = local.name
  location                   = var.location
  resource_group_name        = azurerm_resource_group.main.name
  infrastructure_subnet_id   = module.network.apps_subnet_id
  log_analytics_workspace_id = module.monitoring.workspace_id
  registry_server            = module.registry.login_server
  image_tag                  = var.image_tag
  web_identity_id            = azurerm_user_assigned_identity.web.id
  worker_identity_id         = azurerm_user_assigned_identity.worker.id
  secret_ids                 = module.key_vault.secret_ids
  database_owner_url         = module.postgres.connection_url
  app_hostname               = var.app_hostname
  web_min_replicas           = var.web_min_replicas
  web_max_replicas           = var.web_max_replicas
  ingest_min_replicas        = var.ingest_min_replicas
  ingest_max_replicas        = var.ingest_max_replicas
  kserve_egress_ip_ranges    = var.kserve_egress_ip_ranges
  worker_min_replicas        = var.worker_min_replicas
  worker_max_replicas        = var.worker_max_replicas
  worker_jobs_per_replica    = var.worker_jobs_per_replica
  worker_queues              = var.worker_queues
  redis_prefix               = var.redis_prefix
  redis_address              = "${module.redis.hostname}:${module.redis.ssl_port}"
  settings = {
    LOG_LEVEL                      = var.log_level
    OTEL_EXPORTER_OTLP_ENDPOINT    = var.otel_exporter_otlp_endpoint
    ENTRA_TENANT_ID                = var.entra_tenant_id
    ENTRA_CLIENT_ID                = var.entra_client_id
    DATABRICKS_HOST                = var.databricks_host
    DATABRICKS_SQL_WAREHOUSE_ID    = var.databricks_sql_warehouse_id
    ARM_TENANT_ID                  = var.entra_tenant_id
    ARM_CLIENT_ID                  = var.databricks_sp_client_id
    MLFLOW_TRACKING_URI            = "databricks"
    KUBERNETES_API_URL             = var.kubernetes_api_url
    KSERVE_NAMESPACE               = var.kserve_namespace
    PROMETHEUS_URL                 = var.prometheus_url
    AIRFLOW_URL                    = var.airflow_url
    ADF_SUBSCRIPTION_ID            = var.adf_subscription_id
    ADF_RESOURCE_GROUP             = var.adf_resource_group
    ADF_FACTORY_NAME               = var.adf_factory_name
    AUDIT_CHECKPOINT_CONTAINER_URL = module.audit_checkpoints.container_url
  }
  tags = local.tags

  # Container Apps resolve Key Vault references when a revision starts: the grants must exist first.
  depends_on = [module.key_vault, module.registry]
}

module "alerts" {
  source              = "./modules/alerts"
  name                = local.name
  resource_group_name = azurerm_resource_group.main.name
  emails              = var.alert_emails
  postgres_server_id  = module.postgres.server_id
  redis_id            = module.redis.id
  web_app_id          = module.container_apps.web_app_id
  worker_app_id       = module.container_apps.worker_app_id
  tags                = local.tags
}
