#!/usr/bin/env bash
# Deploys one image tag to one environment's Container Apps; azure-pipelines.yml runs it inside an
# AzureCLI task signed in through the environment's workload-identity service connection, and an
# operator can run it by hand after `az login` (docs/runbook.md).
#   1. copy the images from the previous stage's registry (build once, promote the same bytes),
#   2. run `prisma migrate deploy` as the migration job and wait for it (the database is VNet-only),
#   3. point worker, ingest and web at the new images,
#   4. wait for /api/ready; if it never passes, put the previous images back and fail.
# Migrations must stay backward compatible with the previous release (expand, then contract), since
# step 4 rolls the code back but never the schema.
set -euo pipefail

: "${ENVIRONMENT:?dev, test or prod}"
: "${IMAGE_TAG:?image tag to deploy}"
WORKLOAD="${WORKLOAD:-switchboard}"
REGION_SHORT="${REGION_SHORT:-aue}"
NAME_SUFFIX="${NAME_SUFFIX:-}"
NAME="${WORKLOAD}-${ENVIRONMENT}-${REGION_SHORT}"
RESOURCE_GROUP="rg-${NAME}"
REGISTRY="cr${WORKLOAD}${ENVIRONMENT}${REGION_SHORT}${NAME_SUFFIX}"
WEB_APP="ca-${NAME}-web"
WORKER_APP="ca-${NAME}-worker"
INGEST_APP="ca-${NAME}-ingest"
MIGRATE_JOB="caj-${NAME}-migrate"
SOURCE_REGISTRY="${SOURCE_REGISTRY:-}"
READY_TIMEOUT_SECONDS="${READY_TIMEOUT_SECONDS:-300}"
MIGRATE_TIMEOUT_SECONDS="${MIGRATE_TIMEOUT_SECONDS:-1800}"
IMAGES=(switchboard-web switchboard-worker switchboard-ingest switchboard-migrate)

az extension add --name containerapp --upgrade --only-show-errors

log() { printf '%s %s\n' "$(date -u +%H:%M:%SZ)" "$*"; }
image() { printf '%s.azurecr.io/%s:%s' "$REGISTRY" "$1" "$IMAGE_TAG"; }

if [[ -n "$SOURCE_REGISTRY" ]]; then
  for name in "${IMAGES[@]}"; do
    log "importing ${name}:${IMAGE_TAG} from ${SOURCE_REGISTRY}"
    az acr import --name "$REGISTRY" --source "${SOURCE_REGISTRY}.azurecr.io/${name}:${IMAGE_TAG}" --image "${name}:${IMAGE_TAG}" --force --only-show-errors
  done
fi

log "running migrations with $(image switchboard-migrate)"
az containerapp job update --name "$MIGRATE_JOB" --resource-group "$RESOURCE_GROUP" --image "$(image switchboard-migrate)" --only-show-errors --output none
execution=$(az containerapp job start --name "$MIGRATE_JOB" --resource-group "$RESOURCE_GROUP" --query name --output tsv)
deadline=$((SECONDS + MIGRATE_TIMEOUT_SECONDS))
while :; do
  status=$(az containerapp job execution show --name "$MIGRATE_JOB" --resource-group "$RESOURCE_GROUP" --job-execution-name "$execution" --query properties.status --output tsv)
  case "$status" in
    Succeeded) log "migration ${execution} succeeded"; break ;;
    Failed | Stopped | Degraded)
      log "migration ${execution} ${status}; its logs: ContainerAppConsoleLogs_CL | where ContainerGroupName_s startswith '${execution}'"
      exit 1 ;;
  esac
  if ((SECONDS > deadline)); then log "migration ${execution} still ${status} after ${MIGRATE_TIMEOUT_SECONDS}s"; exit 1; fi
  sleep 10
done

current_image() { az containerapp show --name "$1" --resource-group "$RESOURCE_GROUP" --query 'properties.template.containers[0].image' --output tsv; }
previous_web=$(current_image "$WEB_APP")
previous_worker=$(current_image "$WORKER_APP")
previous_ingest=$(current_image "$INGEST_APP")

log "deploying $(image switchboard-web), $(image switchboard-worker) and $(image switchboard-ingest)"
az containerapp update --name "$WORKER_APP" --resource-group "$RESOURCE_GROUP" --image "$(image switchboard-worker)" --only-show-errors --output none
# Ingest's readiness probe (/readyz) gates its own revision; the web app is checked below.
az containerapp update --name "$INGEST_APP" --resource-group "$RESOURCE_GROUP" --image "$(image switchboard-ingest)" --only-show-errors --output none
az containerapp update --name "$WEB_APP" --resource-group "$RESOURCE_GROUP" --image "$(image switchboard-web)" --only-show-errors --output none

fqdn=$(az containerapp show --name "$WEB_APP" --resource-group "$RESOURCE_GROUP" --query properties.configuration.ingress.fqdn --output tsv)
deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
until body=$(curl --silent --show-error --fail --max-time 10 "https://${fqdn}/api/ready"); do
  if ((SECONDS > deadline)); then
    log "/api/ready did not pass within ${READY_TIMEOUT_SECONDS}s; rolling back to ${previous_web}, ${previous_worker} and ${previous_ingest}"
    az containerapp update --name "$WEB_APP" --resource-group "$RESOURCE_GROUP" --image "$previous_web" --only-show-errors --output none
    az containerapp update --name "$WORKER_APP" --resource-group "$RESOURCE_GROUP" --image "$previous_worker" --only-show-errors --output none
    az containerapp update --name "$INGEST_APP" --resource-group "$RESOURCE_GROUP" --image "$previous_ingest" --only-show-errors --output none
    exit 1
  fi
  sleep 10
done
log "ready: ${body}"
