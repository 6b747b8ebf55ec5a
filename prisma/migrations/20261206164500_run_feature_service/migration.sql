-- The Feast feature service a training run trains on (lineage: the MLflow tag feast.feature_service).

-- AlterTable
ALTER TABLE "training_runs" ADD COLUMN "feature_service" TEXT;
