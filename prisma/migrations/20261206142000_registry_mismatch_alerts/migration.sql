-- A registry/serving disagreement is an alert like the others (Alerts page, acknowledgement, webhook).

-- AlterEnum
ALTER TYPE "AlertKind" ADD VALUE 'REGISTRY_MISMATCH';
