variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "retention_days" { type = number }
variable "locked" { type = bool }
variable "writer_principal_id" { type = string }
variable "tags" { type = map(string) }

# The audit chain's checkpoints (docs/runbook.md, "Audit trail"): a container under a time-based
# retention (WORM) policy, so nobody, the apps and their database owner included, can overwrite or
# delete a checkpoint before it expires. Entra ID only: no account keys, no SAS.
resource "azurerm_storage_account" "main" {
  name                            = var.name
  location                        = var.location
  resource_group_name             = var.resource_group_name
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  shared_access_key_enabled       = false
  allow_nested_items_to_be_public = false
  tags                            = var.tags
}

resource "azurerm_storage_container" "checkpoints" {
  name                  = "audit-checkpoints"
  storage_account_id    = azurerm_storage_account.main.id
  container_access_type = "private"
}

# Locking is irreversible: a locked policy can only be extended, and the container can only be
# deleted once every blob in it has expired. Unlocked (test environments) it can still be removed.
resource "azurerm_storage_container_immutability_policy" "checkpoints" {
  storage_container_resource_manager_id = azurerm_storage_container.checkpoints.id
  immutability_period_in_days           = var.retention_days
  protected_append_writes_enabled       = false
  locked                                = var.locked
}

# The worker service principal (ARM_CLIENT_ID) writes and reads checkpoints; the policy, not this
# role, is what stops it rewriting them.
resource "azurerm_role_assignment" "writer" {
  scope                = azurerm_storage_container.checkpoints.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = var.writer_principal_id
  principal_type       = "ServicePrincipal"
}

output "container_url" {
  description = "AUDIT_CHECKPOINT_CONTAINER_URL"
  value       = "${azurerm_storage_account.main.primary_blob_endpoint}${azurerm_storage_container.checkpoints.name}"
}
