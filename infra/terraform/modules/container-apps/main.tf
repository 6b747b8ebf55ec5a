locals {
  # Environment variable <- Key Vault secret of the same name in kebab case (DATABASE_URL <- database-url).
  # lib/config/index.ts validates the result at start-up.
  secret_env = {
    for name in [
      "DATABASE_URL", "REDIS_URL", "NEXTAUTH_SECRET", "INGEST_SHARED_SECRET",
      "ENTRA_CLIENT_SECRET", "ARM_CLIENT_SECRET", "KUBERNETES_TOKEN", "PROMETHEUS_TOKEN", "AIRFLOW_TOKEN"
    ] : name => lower(replace(name, "_", "-"))
  }
  web_app_name = "ca-${var.name}-web"
  app_host     = var.app_hostname != "" ? var.app_hostname : "${local.web_app_name}.${azurerm_container_app_environment.main.default_domain}"
  plain_env = merge(var.settings, {
    NODE_ENV         = "production"
    SWITCHBOARD_MODE = "cloud"
    APP_URL          = "https://${local.app_host}"
    REDIS_PREFIX     = var.redis_prefix
  })
  container_env = concat(
    [for name, value in local.plain_env : { name = name, value = value, secret_name = null }],
    [for name, secret in local.secret_env : { name = name, value = null, secret_name = secret }],
  )
  # One KEDA redis trigger per BullMQ list: waiting jobs, and active ones so a busy worker is not
  # scaled in while the wait list is momentarily empty.
  queue_lists = flatten([for queue in var.worker_queues : [for list in ["wait", "active"] : { name = "${queue}-${list}", key = "${var.redis_prefix}:${queue}:${list}" }]])
  images = {
    web     = "${var.registry_server}/switchboard-web:${var.image_tag}"
    worker  = "${var.registry_server}/switchboard-worker:${var.image_tag}"
    ingest  = "${var.registry_server}/switchboard-ingest:${var.image_tag}"
    migrate = "${var.registry_server}/switchboard-migrate:${var.image_tag}"
  }
}

resource "azurerm_container_app_environment" "main" {
  name                       = "cae-${var.name}"
  location                   = var.location
  resource_group_name        = var.resource_group_name
  log_analytics_workspace_id = var.log_analytics_workspace_id
  infrastructure_subnet_id   = var.infrastructure_subnet_id
  zone_redundancy_enabled    = true
  tags                       = var.tags

  workload_profile {
    name                  = "Consumption"
    workload_profile_type = "Consumption"
  }
}

resource "azurerm_container_app" "web" {
  name                         = local.web_app_name
  container_app_environment_id = azurerm_container_app_environment.main.id
  resource_group_name          = var.resource_group_name
  revision_mode                = "Single"
  workload_profile_name        = "Consumption"
  tags                         = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [var.web_identity_id]
  }

  registry {
    server   = var.registry_server
    identity = var.web_identity_id
  }

  dynamic "secret" {
    for_each = local.secret_env
    content {
      name                = secret.value
      identity            = var.web_identity_id
      key_vault_secret_id = var.secret_ids[secret.value]
    }
  }

  ingress {
    external_enabled = true
    target_port      = 3000
    transport        = "auto"
    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
  }

  template {
    min_replicas = var.web_min_replicas
    max_replicas = var.web_max_replicas

    http_scale_rule {
      name                = "http-concurrency"
      concurrent_requests = "50"
    }

    container {
      name   = "web"
      image  = local.images.web
      cpu    = 1
      memory = "2Gi"

      dynamic "env" {
        for_each = local.container_env
        content {
          name        = env.value.name
          value       = env.value.value
          secret_name = env.value.secret_name
        }
      }

      startup_probe {
        transport               = "HTTP"
        port                    = 3000
        path                    = "/api/health"
        interval_seconds        = 5
        failure_count_threshold = 12
      }

      liveness_probe {
        transport        = "HTTP"
        port             = 3000
        path             = "/api/health"
        interval_seconds = 15
      }

      # /api/health, not /api/ready: readiness routes traffic per replica, and a shared dependency
      # being down (database, workers) must not pull every replica out of the load balancer at once.
      # The pipeline gates each deploy on /api/ready instead.
      readiness_probe {
        transport        = "HTTP"
        port             = 3000
        path             = "/api/health"
        interval_seconds = 10
      }
    }
  }

  lifecycle {
    # The pipeline deploys images (az containerapp update --image); Terraform owns everything else.
    ignore_changes = [template[0].container[0].image]
  }
}

resource "azurerm_container_app" "worker" {
  name                         = "ca-${var.name}-worker"
  container_app_environment_id = azurerm_container_app_environment.main.id
  resource_group_name          = var.resource_group_name
  revision_mode                = "Single"
  workload_profile_name        = "Consumption"
  tags                         = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [var.worker_identity_id]
  }

  registry {
    server   = var.registry_server
    identity = var.worker_identity_id
  }

  dynamic "secret" {
    for_each = merge(local.secret_env, { REDIS_PASSWORD = "redis-password" })
    content {
      name                = secret.value
      identity            = var.worker_identity_id
      key_vault_secret_id = var.secret_ids[secret.value]
    }
  }

  template {
    min_replicas = var.worker_min_replicas
    max_replicas = var.worker_max_replicas
    # On SIGTERM the worker takes no new jobs and gives active ones WORKER_SHUTDOWN_GRACE_MS (25 s,
    # workers/main.ts) before exiting; the platform must wait longer than that before it kills.
    termination_grace_period_seconds = 60

    dynamic "custom_scale_rule" {
      for_each = { for list in local.queue_lists : list.name => list.key }
      content {
        name             = custom_scale_rule.key
        custom_rule_type = "redis"
        metadata = {
          address       = var.redis_address
          listName      = custom_scale_rule.value
          listLength    = tostring(var.worker_jobs_per_replica)
          enableTLS     = "true"
          databaseIndex = "0"
        }
        authentication {
          secret_name       = "redis-password"
          trigger_parameter = "password"
        }
      }
    }

    container {
      name   = "worker"
      image  = local.images.worker
      cpu    = 1
      memory = "2Gi"

      dynamic "env" {
        for_each = local.container_env
        content {
          name        = env.value.name
          value       = env.value.value
          secret_name = env.value.secret_name
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [template[0].container[0].image]
  }
}

# KServe's payload loggers post here (POST /api/ingest/kserve, lib/ingest/server.ts), not to the web
# app: one small request per inference is cheap on plain node:http and costly through Next.js.
resource "azurerm_container_app" "ingest" {
  name                         = "ca-${var.name}-ingest"
  container_app_environment_id = azurerm_container_app_environment.main.id
  resource_group_name          = var.resource_group_name
  revision_mode                = "Single"
  workload_profile_name        = "Consumption"
  tags                         = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [var.web_identity_id]
  }

  registry {
    server   = var.registry_server
    identity = var.web_identity_id
  }

  dynamic "secret" {
    for_each = local.secret_env
    content {
      name                = secret.value
      identity            = var.web_identity_id
      key_vault_secret_id = var.secret_ids[secret.value]
    }
  }

  # KServe runs on AKS, outside this environment: given the cluster's egress addresses, the ingress
  # is external but admits those addresses only (all rules Allow, so everyone else is refused);
  # without them it stays internal. The shared secret authenticates every event either way.
  ingress {
    external_enabled = length(var.kserve_egress_ip_ranges) > 0
    target_port      = 3001
    transport        = "http"
    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
    dynamic "ip_security_restriction" {
      for_each = var.kserve_egress_ip_ranges
      content {
        name             = "kserve-egress-${ip_security_restriction.key}"
        action           = "Allow"
        ip_address_range = ip_security_restriction.value
      }
    }
  }

  template {
    min_replicas = var.ingest_min_replicas
    max_replicas = var.ingest_max_replicas
    # Requests take well under a millisecond of CPU, so concurrency stays low until a replica's
    # CPU is the limit: scale on both. Replicas flush additive increments and need no coordination.
    termination_grace_period_seconds = 30

    http_scale_rule {
      name                = "http-concurrency"
      concurrent_requests = "100"
    }

    custom_scale_rule {
      name             = "cpu"
      custom_rule_type = "cpu"
      metadata = {
        type  = "Utilization"
        value = "70"
      }
    }

    container {
      name   = "ingest"
      image  = local.images.ingest
      cpu    = 1
      memory = "2Gi"

      dynamic "env" {
        for_each = local.container_env
        content {
          name        = env.value.name
          value       = env.value.value
          secret_name = env.value.secret_name
        }
      }

      # /readyz: the database answers; only at start-up, so a database outage does not pull every
      # replica out at once (events are buffered and the flush retried meanwhile).
      startup_probe {
        transport               = "HTTP"
        port                    = 3001
        path                    = "/readyz"
        interval_seconds        = 5
        failure_count_threshold = 12
      }

      liveness_probe {
        transport        = "HTTP"
        port             = 3001
        path             = "/healthz"
        interval_seconds = 15
      }

      readiness_probe {
        transport        = "HTTP"
        port             = 3001
        path             = "/healthz"
        interval_seconds = 10
      }
    }
  }

  lifecycle {
    ignore_changes = [template[0].container[0].image]
  }
}

# `prisma migrate deploy` inside the VNet (the database has no public endpoint), as the tables' owner,
# then scripts/migrate.ts gives the apps' login (DATABASE_URL) its password. The pipeline starts an
# execution with the new image and waits for it before deploying the apps.
resource "azurerm_container_app_job" "migrate" {
  name                         = "caj-${var.name}-migrate"
  location                     = var.location
  resource_group_name          = var.resource_group_name
  container_app_environment_id = azurerm_container_app_environment.main.id
  workload_profile_name        = "Consumption"
  replica_timeout_in_seconds   = 1800
  replica_retry_limit          = 0
  tags                         = var.tags

  manual_trigger_config {
    parallelism              = 1
    replica_completion_count = 1
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [var.worker_identity_id]
  }

  registry {
    server   = var.registry_server
    identity = var.worker_identity_id
  }

  secret {
    name                = "database-url"
    identity            = var.worker_identity_id
    key_vault_secret_id = var.secret_ids["database-url"]
  }

  secret {
    name  = "database-owner-url"
    value = var.database_owner_url
  }

  template {
    container {
      name   = "migrate"
      image  = local.images.migrate
      cpu    = 0.5
      memory = "1Gi"
      env {
        name        = "DATABASE_URL"
        secret_name = "database-url"
      }
      env {
        name        = "DATABASE_OWNER_URL"
        secret_name = "database-owner-url"
      }
    }
  }

  lifecycle {
    ignore_changes = [template[0].container[0].image]
  }
}
