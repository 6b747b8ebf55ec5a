# terraform plan -var-file=environments/dev.tfvars   (see docs/deployment.md)
environment = "dev"
location    = "australiaeast"

vnet_address_space = "10.40.0.0/16"
# Public addresses of the operators and the agent that run Terraform (Key Vault firewall).
operator_ip_ranges = []
# Outbound addresses of the AKS cluster that runs KServe (az aks show --query networkProfile.loadBalancerProfile.effectiveOutboundIPs),
# so its payload loggers reach the ingest app; empty keeps the ingest app internal to the environment.
kserve_egress_ip_ranges = []
# Who hears about Redis memory, PostgreSQL storage and CPU, and restart loops.
alert_emails = []

postgres_sku                   = "B_Standard_B2s"
postgres_backup_retention_days = 7
postgres_high_availability     = false
postgres_geo_redundant_backup  = false
redis_sku                      = "Standard"
redis_capacity                 = 0

web_min_replicas    = 1
web_max_replicas    = 2
worker_min_replicas = 1
worker_max_replicas = 3

# Filled in per tenant and workspace: the values are identifiers, not secrets.
entra_tenant_id         = "00000000-0000-0000-0000-000000000000"
entra_client_id         = "00000000-0000-0000-0000-000000000000"
databricks_host         = "https://adb-0000000000000000.0.azuredatabricks.net"
databricks_sp_client_id = "00000000-0000-0000-0000-000000000000"
databricks_sp_object_id = "00000000-0000-0000-0000-000000000000"
kubernetes_api_url      = "https://aks-models-dev.hcp.australiaeast.azmk8s.io"
prometheus_url          = "https://prometheus.models-dev.internal"
