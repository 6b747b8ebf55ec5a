output "environment_name" {
  value = azurerm_container_app_environment.main.name
}

output "web_app_name" {
  value = azurerm_container_app.web.name
}

output "web_app_id" {
  value = azurerm_container_app.web.id
}

output "worker_app_id" {
  value = azurerm_container_app.worker.id
}

output "worker_app_name" {
  value = azurerm_container_app.worker.name
}

output "ingest_app_name" {
  value = azurerm_container_app.ingest.name
}

output "ingest_url" {
  description = "Where KServe's payload logger posts (reachable from kserve_egress_ip_ranges, else internal to the environment)."
  value       = "https://${azurerm_container_app.ingest.ingress[0].fqdn}/api/ingest/kserve"
}

output "migrate_job_name" {
  value = azurerm_container_app_job.migrate.name
}

output "web_url" {
  value = local.plain_env.APP_URL
}

output "default_hostname" {
  description = "Point a custom domain's CNAME here before setting app_hostname."
  value       = azurerm_container_app.web.ingress[0].fqdn
}

output "static_ip" {
  value = azurerm_container_app_environment.main.static_ip_address
}
