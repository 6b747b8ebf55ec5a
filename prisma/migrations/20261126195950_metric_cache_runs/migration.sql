-- AlterTable
ALTER TABLE "metric_series" ADD COLUMN     "bucket_exponent" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "cached_mlflow_runs" (
    "mlflow_run_id" TEXT NOT NULL,
    "experiment_id" TEXT NOT NULL,
    "run_name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "start_time" BIGINT,
    "end_time" BIGINT,
    "params" JSONB NOT NULL,
    "metric_keys" TEXT[],
    "is_complete" BOOLEAN NOT NULL DEFAULT false,
    "synced_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cached_mlflow_runs_pkey" PRIMARY KEY ("mlflow_run_id")
);
