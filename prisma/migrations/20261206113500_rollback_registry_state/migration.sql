-- A rollback records whether the registry was moved back to the version serving again, or diverged.

-- AlterTable
ALTER TABLE "deployments" ADD COLUMN "registry_status" TEXT,
ADD COLUMN "registry_note" TEXT;
