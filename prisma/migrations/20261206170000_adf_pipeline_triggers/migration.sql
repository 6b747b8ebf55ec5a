-- CreateEnum
CREATE TYPE "PipelineSource" AS ENUM ('AIRFLOW', 'ADF');

-- AlterTable
ALTER TABLE "pipeline_triggers" ADD COLUMN     "external_run_id" TEXT,
ADD COLUMN     "source" "PipelineSource" NOT NULL DEFAULT 'AIRFLOW';

-- CreateIndex
CREATE UNIQUE INDEX "pipeline_triggers_external_run_id_key" ON "pipeline_triggers"("external_run_id");
