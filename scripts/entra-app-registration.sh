#!/usr/bin/env bash
# Creates or updates Switchboard's Entra ID registrations for one environment. Safe to re-run: it finds
# the apps by display name, keeps existing app-role and scope ids, and PATCHes the rest to the state
# below. Needs `az login` as someone who may create app registrations (Application Developer) —
# granting admin consent needs a Cloud Application Administrator.
#
#   scripts/entra-app-registration.sh --env dev --host switchboard-dev.example.com \
#       [--key-vault kv-switchboard-dev-aue] [--new-secrets]
#
# It registers:
#   switchboard-<env>         the web app: redirect URI https://<host>/api/auth/callback/azure-ad, app
#                             roles DataScientist, ModelRiskOfficer, OnCall, Admin (users), optional
#                             claims, an API scope (api://<client id>/access_as_user) whose access
#                             token is the on-behalf-of assertion, and the delegated permissions
#                             Microsoft Graph User.Read and Azure Databricks user_impersonation.
#   switchboard-<env>-worker  the workers' service principal for Databricks (ARM_CLIENT_ID); what it
#                             must be granted in Databricks and Unity Catalog is printed at the end.
# With --new-secrets (first run, rotation) it adds a client secret to each and, with --key-vault,
# writes them to Key Vault as entra-client-secret and arm-client-secret without printing them.
set -euo pipefail

env="" host="" key_vault="" new_secrets=false
while (($#)); do
  case "$1" in
    --env) env="$2"; shift 2 ;;
    --host) host="$2"; shift 2 ;;
    --key-vault) key_vault="$2"; shift 2 ;;
    --new-secrets) new_secrets=true; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[[ "$env" =~ ^(dev|test|prod)$ ]] || { echo "--env dev|test|prod is required" >&2; exit 2; }
[[ -n "$host" ]] || { echo "--host <public host name of the web app> is required" >&2; exit 2; }

readonly GRAPH_APP_ID=00000003-0000-0000-c000-000000000000
readonly DATABRICKS_APP_ID=2ff814a6-3304-4ab8-85cb-cd0e6f879c1d
web_name="switchboard-${env}"
worker_name="switchboard-${env}-worker"

log() { printf '• %s\n' "$*" >&2; }

# Prints the appId of the app with this display name, creating it if there is none.
ensure_app() {
  local name=$1 app_id
  app_id=$(az ad app list --display-name "$name" --query "[?displayName=='${name}'].appId | [0]" --output tsv)
  if [[ -z "$app_id" ]]; then
    log "creating app registration ${name}"
    app_id=$(az ad app create --display-name "$name" --sign-in-audience AzureADMyOrg --query appId --output tsv)
  else
    log "found app registration ${name} (${app_id})"
  fi
  az ad sp show --id "$app_id" --output none 2>/dev/null || az ad sp create --id "$app_id" --output none
  printf '%s' "$app_id"
}

# The id of a delegated permission of a Microsoft API, read from its service principal (never guessed).
scope_id() {
  az ad sp show --id "$1" --query "oauth2PermissionScopes[?value=='$2'].id | [0]" --output tsv
}

new_uuid() {
  { uuidgen 2>/dev/null || cat /proc/sys/kernel/random/uuid; } | tr '[:upper:]' '[:lower:]'
}

# Existing id of an app role or scope with this value, or a new one, so re-runs keep ids stable.
existing_or_new_id() {
  local object_id=$1 query=$2 value=$3 id
  id=$(az rest --method GET --url "https://graph.microsoft.com/v1.0/applications/${object_id}" --query "${query}[?value=='${value}'].id | [0]" --output tsv)
  [[ -n "$id" ]] || id=$(new_uuid)
  printf '%s' "$id"
}

web_app_id=$(ensure_app "$web_name")
web_object_id=$(az ad app show --id "$web_app_id" --query id --output tsv)
user_read=$(scope_id "$GRAPH_APP_ID" User.Read)
user_impersonation=$(scope_id "$DATABRICKS_APP_ID" user_impersonation)
[[ -n "$user_impersonation" ]] || { echo "Azure Databricks is not in this tenant yet (create a workspace first)" >&2; exit 1; }

roles_json=""
for role in DataScientist ModelRiskOfficer OnCall Admin; do
  case "$role" in
    DataScientist) description="Registers datasets, launches and compares runs, requests promotions" ;;
    ModelRiskOfficer) description="Reviews and approves or rejects model promotions" ;;
    OnCall) description="Watches serving health, rolls back canaries" ;;
    Admin) description="Manages Switchboard settings and users" ;;
  esac
  id=$(existing_or_new_id "$web_object_id" appRoles "$role")
  roles_json+="${roles_json:+,}{\"id\":\"${id}\",\"value\":\"${role}\",\"displayName\":\"${role}\",\"description\":\"${description}\",\"allowedMemberTypes\":[\"User\"],\"isEnabled\":true}"
done
scope_uuid=$(existing_or_new_id "$web_object_id" api.oauth2PermissionScopes access_as_user)

log "updating ${web_name}: redirect URI, app roles, optional claims, API scope, permissions"
az rest --method PATCH --url "https://graph.microsoft.com/v1.0/applications/${web_object_id}" \
  --headers "Content-Type=application/json" --body @- <<JSON
{
  "identifierUris": ["api://${web_app_id}"],
  "web": {
    "redirectUris": ["https://${host}/api/auth/callback/azure-ad"],
    "implicitGrantSettings": {"enableIdTokenIssuance": false, "enableAccessTokenIssuance": false}
  },
  "appRoles": [${roles_json}],
  "api": {
    "requestedAccessTokenVersion": 2,
    "oauth2PermissionScopes": [{
      "id": "${scope_uuid}", "value": "access_as_user", "type": "User", "isEnabled": true,
      "adminConsentDisplayName": "Use Switchboard", "adminConsentDescription": "Lets Switchboard act for the signed-in user, including in Azure Databricks.",
      "userConsentDisplayName": "Use Switchboard", "userConsentDescription": "Lets Switchboard act for you, including in Azure Databricks."
    }]
  },
  "optionalClaims": {
    "idToken": [{"name": "email", "essential": false}, {"name": "upn", "essential": false}, {"name": "preferred_username", "essential": false}],
    "accessToken": [{"name": "email", "essential": false}, {"name": "upn", "essential": false}]
  },
  "requiredResourceAccess": [
    {"resourceAppId": "${GRAPH_APP_ID}", "resourceAccess": [{"id": "${user_read}", "type": "Scope"}]},
    {"resourceAppId": "${DATABRICKS_APP_ID}", "resourceAccess": [{"id": "${user_impersonation}", "type": "Scope"}]}
  ]
}
JSON

# Only signed-in users who hold one of the roles get a token at all.
az ad sp update --id "$web_app_id" --set appRoleAssignmentRequired=true --output none

worker_app_id=$(ensure_app "$worker_name")

if $new_secrets; then
  for pair in "${web_app_id}:entra-client-secret" "${worker_app_id}:arm-client-secret"; do
    app=${pair%%:*} secret_name=${pair#*:}
    log "adding a client secret to ${app} (existing ones stay valid until you delete them)"
    secret=$(az ad app credential reset --id "$app" --append --display-name "switchboard-${env}-$(date -u +%Y%m%d)" --years 1 --query password --output tsv)
    if [[ -n "$key_vault" ]]; then
      az keyvault secret set --vault-name "$key_vault" --name "$secret_name" --value "$secret" --output none
      log "stored as ${secret_name} in ${key_vault}; restart the apps to pick it up (docs/runbook.md)"
    else
      printf '%s for %s: %s\n' "$secret_name" "$app" "$secret"
    fi
  done
fi

tenant_id=$(az account show --query tenantId --output tsv)
cat <<EOF_SUMMARY

Done. Put these in infra/terraform/environments/${env}.tfvars:
  entra_tenant_id         = "${tenant_id}"
  entra_client_id         = "${web_app_id}"
  databricks_sp_client_id = "${worker_app_id}"

Still to do by hand (once per environment):
  1. Grant admin consent for the delegated permissions (User.Read, Azure Databricks user_impersonation):
       az ad app permission admin-consent --id ${web_app_id}
  2. Assign people or groups to the app roles: Entra admin centre > Enterprise applications >
     ${web_name} > Users and groups.
  3. Add the worker service principal (${worker_app_id}) to the Databricks workspace
     (Settings > Identity and access > Service principals > Add, using its application id) with the
     entitlements "Workspace access" and "Allow unrestricted cluster creation" (runs/submit creates
     job clusters), and give it "Can use" on the SQL warehouse. Then, in a SQL editor:
       GRANT USE CATALOG ON CATALOG <catalog> TO \`${worker_app_id}\`;
       GRANT USE SCHEMA, SELECT ON SCHEMA <catalog>.<schema> TO \`${worker_app_id}\`;  -- datasets it profiles
       GRANT CREATE MODEL ON SCHEMA <catalog>.<models schema> TO \`${worker_app_id}\`;
       GRANT EXECUTE, APPLY TAG ON SCHEMA <catalog>.<models schema> TO \`${worker_app_id}\`;
     and make it an owner (or grant MANAGE) of the registered models whose aliases Switchboard moves.
     Users act through on-behalf-of tokens with their own Unity Catalog grants; the worker only does
     what no user session is present for (polling, scheduled drift jobs, applying approved promotions).
EOF_SUMMARY
