output "resource_group_name" {
  value = azurerm_resource_group.main.name
}

output "acr_name" {
  value = module.registry.name
}

output "acr_login_server" {
  value = module.registry.login_server
}

output "web_url" {
  description = "APP_URL; the Entra redirect URI is <web_url>/api/auth/callback/azure-ad."
  value       = module.container_apps.web_url
}

output "web_default_hostname" {
  value = module.container_apps.default_hostname
}

output "web_app_name" {
  value = module.container_apps.web_app_name
}

output "worker_app_name" {
  value = module.container_apps.worker_app_name
}

output "ingest_url" {
  description = "Give it to KServe's payload logger (spec.predictor.logger.url) with INGEST_SHARED_SECRET."
  value       = module.container_apps.ingest_url
}

output "migrate_job_name" {
  value = module.container_apps.migrate_job_name
}

output "key_vault_name" {
  value = module.key_vault.name
}

output "key_vault_uri" {
  value = module.key_vault.uri
}

output "postgres_fqdn" {
  value = module.postgres.fqdn
}

output "postgres_server_name" {
  value = module.postgres.server_name
}

output "redis_hostname" {
  value = module.redis.hostname
}

output "log_analytics_workspace_id" {
  description = "Workspace (customer) id for `az monitor log-analytics query -w`."
  value       = module.monitoring.workspace_customer_id
}

output "web_identity_client_id" {
  value = azurerm_user_assigned_identity.web.client_id
}

output "worker_identity_client_id" {
  value = azurerm_user_assigned_identity.worker.client_id
}

output "worker_identity_principal_id" {
  value = azurerm_user_assigned_identity.worker.principal_id
}
