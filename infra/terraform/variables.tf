variable "environment" {
  description = "Deployment stage; part of every resource name."
  type        = string
  validation {
    condition     = contains(["dev", "test", "prod"], var.environment)
    error_message = "environment must be dev, test or prod."
  }
}

variable "location" {
  description = "Azure region for every resource."
  type        = string
  default     = "australiaeast"
}

variable "workload" {
  description = "Short workload name used in resource names (lowercase letters and digits)."
  type        = string
  default     = "switchboard"
  validation {
    condition     = can(regex("^[a-z][a-z0-9]{2,11}$", var.workload))
    error_message = "workload must be 3-12 lowercase letters or digits, starting with a letter (Key Vault names are limited to 24 characters)."
  }
}

variable "global_name_suffix" {
  description = "Optional suffix for the globally unique names (ACR, Key Vault, PostgreSQL, Redis) when the default is taken."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^[a-z0-9]{0,4}$", var.global_name_suffix))
    error_message = "global_name_suffix must be at most 4 lowercase letters or digits."
  }
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

# --- network -------------------------------------------------------------------------------------

variable "vnet_address_space" {
  description = "Address space of the environment's virtual network; /16 recommended, must not overlap peered networks."
  type        = string
  default     = "10.40.0.0/16"
}

variable "operator_ip_ranges" {
  description = "Public CIDRs (operators, the deploying agent) allowed through the Key Vault firewall to write secrets."
  type        = list(string)
  default     = []
}

# --- data stores ---------------------------------------------------------------------------------

variable "postgres_sku" {
  description = "PostgreSQL Flexible Server SKU (B_ burstable for dev, GP_ general purpose for test and prod)."
  type        = string
  default     = "B_Standard_B2s"
}

variable "postgres_storage_mb" {
  description = "PostgreSQL storage in MB (can grow, never shrink)."
  type        = number
  default     = 32768
}

variable "postgres_backup_retention_days" {
  description = "Point-in-time restore window, 7 to 35 days."
  type        = number
  default     = 7
}

variable "postgres_high_availability" {
  description = "Zone-redundant standby (needs a GP_ or MO_ SKU)."
  type        = bool
  default     = false
}

variable "postgres_geo_redundant_backup" {
  description = "Copy backups to the paired region (Australia Southeast); fixed at creation."
  type        = bool
  default     = false
}

variable "redis_sku" {
  description = "Azure Cache for Redis tier: Standard (replicated) or Premium."
  type        = string
  default     = "Standard"
}

variable "redis_capacity" {
  description = "Redis size within the tier (C0 = 0 ... C6 = 6)."
  type        = number
  default     = 1
}

# --- application ---------------------------------------------------------------------------------

variable "image_tag" {
  description = "Image tag the apps are created with (it must exist in the registry: docs/deployment.md); later deploys change images through the pipeline, not Terraform."
  type        = string
  default     = "first"
}

variable "app_hostname" {
  description = "Public host name of the web app (custom domain). Empty: the Container Apps default host name."
  type        = string
  default     = ""
}

variable "web_min_replicas" {
  description = "Web replicas always running (2+ in prod so a restart never takes the UI down)."
  type        = number
  default     = 1
}

variable "web_max_replicas" {
  description = "Upper bound for HTTP-driven web scaling."
  type        = number
  default     = 4
}

variable "ingest_min_replicas" {
  description = "Ingest replicas always running: KServe's payload logger drops events it cannot deliver."
  type        = number
  default     = 1
}

variable "kserve_egress_ip_ranges" {
  description = "Public egress CIDRs of the AKS cluster(s) whose KServe payload loggers post events (the cluster's outbound load balancer or NAT gateway addresses). Given, the ingest app is reachable from those addresses only; empty, its ingress stays internal to the Container Apps environment."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for cidr in var.kserve_egress_ip_ranges : can(cidrhost(cidr, 0))])
    error_message = "Each entry must be an IPv4 CIDR such as 20.53.0.10/32."
  }
}

variable "ingest_max_replicas" {
  description = "Upper bound for HTTP- and CPU-driven ingest scaling (see the Ingest section of docs/benchmarks.md for what one replica takes)."
  type        = number
  default     = 4
}

variable "worker_min_replicas" {
  description = "Worker replicas always running. At least 1: delayed jobs (polling the cloud) are not in the wait list the scaler reads."
  type        = number
  default     = 1
  validation {
    condition     = var.worker_min_replicas >= 1
    error_message = "worker_min_replicas must be at least 1 (delayed jobs and the readiness heartbeat need a live worker)."
  }
}

variable "worker_max_replicas" {
  description = "Upper bound for queue-driven worker scaling."
  type        = number
  default     = 5
}

variable "worker_jobs_per_replica" {
  description = "Target waiting-plus-active jobs per worker replica for the Redis list scaler."
  type        = number
  default     = 10
}

variable "worker_queues" {
  description = "BullMQ queue names the worker consumes (lib/queue); each gets a scale rule on its wait and active lists."
  type        = list(string)
  default     = ["maintenance", "databricks", "mlflow", "kserve", "monitoring", "webhook", "airflow", "adf"]
}

variable "redis_prefix" {
  description = "REDIS_PREFIX: BullMQ key prefix, so list keys are <prefix>:<queue>:wait."
  type        = string
  default     = "switchboard"
}

variable "log_level" {
  description = "LOG_LEVEL for web and worker."
  type        = string
  default     = "info"
}

variable "otel_exporter_otlp_endpoint" {
  description = "OTLP/HTTP collector for OpenTelemetry traces, e.g. http://ca-otel-collector:4318 (docs/runbook.md#tracing). Empty: tracing off."
  type        = string
  default     = ""
}

# --- the systems Switchboard drives (non-secret settings; secrets go to Key Vault) ----------------

variable "entra_tenant_id" {
  description = "Entra ID tenant of the app registration (ENTRA_TENANT_ID, ARM_TENANT_ID)."
  type        = string
}

variable "entra_client_id" {
  description = "Application (client) id of the Switchboard app registration (scripts/entra-app-registration.sh prints it)."
  type        = string
}

variable "databricks_host" {
  description = "Azure Databricks workspace URL, e.g. https://adb-1234567890123456.7.azuredatabricks.net."
  type        = string
}

variable "databricks_sql_warehouse_id" {
  description = "SQL warehouse used for sample rows and counts."
  type        = string
  default     = ""
}

variable "databricks_sp_client_id" {
  description = "Client id of the worker service principal Databricks knows (ARM_CLIENT_ID)."
  type        = string
}

variable "databricks_sp_object_id" {
  description = "Object id of that service principal (az ad sp show --id <client id> --query id): it writes the audit checkpoints."
  type        = string
}

variable "audit_checkpoint_retention_days" {
  description = "How long each audit checkpoint stays immutable (time-based retention on its container)."
  type        = number
  default     = 2557
}

variable "kubernetes_api_url" {
  description = "API server of the AKS cluster that runs KServe."
  type        = string
}

variable "kserve_namespace" {
  description = "Namespace of Switchboard-managed InferenceServices."
  type        = string
  default     = "models"
}

variable "prometheus_url" {
  description = "Prometheus query endpoint for model serving metrics."
  type        = string
}

variable "airflow_url" {
  description = "AIRFLOW_URL: the Airflow webserver whose stable REST API v1 the Pipelines area reads; empty leaves the area unset. Its token is the Key Vault secret airflow-token."
  type        = string
  default     = ""
}

variable "adf_subscription_id" {
  description = "ADF_SUBSCRIPTION_ID: subscription of the Data Factory whose pipelines the Pipelines area shows; empty (with the two below) leaves Data Factory out. Read with the ARM service principal (docs/deployment.md lists its role)."
  type        = string
  default     = ""
}

variable "adf_resource_group" {
  description = "ADF_RESOURCE_GROUP: the Data Factory's resource group."
  type        = string
  default     = ""
}

variable "adf_factory_name" {
  description = "ADF_FACTORY_NAME: the Data Factory's name."
  type        = string
  default     = ""
}

variable "alert_emails" {
  description = "Addresses that receive the platform alerts (Redis memory, PostgreSQL storage and CPU, restart loops)."
  type        = list(string)
  default     = []
}

variable "key_vault_secrets_officers" {
  description = "Object ids (operators' group, the pipeline's service principal) that may set and rotate secrets."
  type        = list(string)
  default     = []
}

variable "acr_pushers" {
  description = "Object ids allowed to push images (the pipeline's service principal)."
  type        = list(string)
  default     = []
}
