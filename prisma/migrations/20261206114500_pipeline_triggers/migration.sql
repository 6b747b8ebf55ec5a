-- CreateEnum
CREATE TYPE "PipelineTriggerStatus" AS ENUM ('QUEUED', 'TRIGGERED', 'FAILED');

-- CreateTable
CREATE TABLE "pipeline_triggers" (
    "id" UUID NOT NULL,
    "dag_id" TEXT NOT NULL,
    "dag_run_id" TEXT NOT NULL,
    "conf" JSONB NOT NULL,
    "note" TEXT,
    "status" "PipelineTriggerStatus" NOT NULL DEFAULT 'QUEUED',
    "airflow_state" TEXT,
    "error_message" TEXT,
    "requested_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "triggered_at" TIMESTAMP(3),

    CONSTRAINT "pipeline_triggers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "pipeline_triggers_dag_run_id_key" ON "pipeline_triggers"("dag_run_id");

-- CreateIndex
CREATE INDEX "pipeline_triggers_dag_id_created_at_idx" ON "pipeline_triggers"("dag_id", "created_at");

-- AddForeignKey
ALTER TABLE "pipeline_triggers" ADD CONSTRAINT "pipeline_triggers_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
