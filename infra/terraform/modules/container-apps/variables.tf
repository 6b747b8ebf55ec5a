variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "infrastructure_subnet_id" { type = string }
variable "log_analytics_workspace_id" { type = string }
variable "registry_server" { type = string }
variable "image_tag" { type = string }
variable "web_identity_id" { type = string }
variable "worker_identity_id" { type = string }
variable "app_hostname" { type = string }
variable "web_min_replicas" { type = number }
variable "web_max_replicas" { type = number }
variable "ingest_min_replicas" { type = number }
variable "ingest_max_replicas" { type = number }
variable "kserve_egress_ip_ranges" { type = list(string) }
variable "worker_min_replicas" { type = number }
variable "worker_max_replicas" { type = number }
variable "worker_jobs_per_replica" { type = number }
variable "worker_queues" { type = list(string) }
variable "redis_prefix" { type = string }
variable "redis_address" { type = string }
variable "tags" { type = map(string) }

variable "secret_ids" {
  description = "Key Vault secret ids (version-less) by secret name."
  type        = map(string)
}

variable "settings" {
  description = "Non-secret environment variables shared by web, worker and the migration job."
  type        = map(string)
}

variable "database_owner_url" {
  description = "The tables' owner login, for the migration job alone: a secret of that job, never in Key Vault, where the apps' identities can read every secret."
  type        = string
  sensitive   = true
}
