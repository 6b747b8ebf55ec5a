-- CreateEnum
CREATE TYPE "Role" AS ENUM ('DataScientist', 'ModelRiskOfficer', 'OnCall', 'Admin');

-- CreateEnum
CREATE TYPE "RunKind" AS ENUM ('TABULAR', 'GENAI_FINETUNE');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('QUEUED', 'SUBMITTING', 'PENDING', 'RUNNING', 'TERMINATING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLING', 'CANCELLED', 'INTERNAL_ERROR');

-- CreateEnum
CREATE TYPE "RegistryKind" AS ENUM ('WORKSPACE', 'UNITY_CATALOG');

-- CreateEnum
CREATE TYPE "PromotionStatus" AS ENUM ('OPEN', 'STALE', 'WITHDRAWN', 'REJECTED', 'APPROVED', 'APPLYING', 'APPLIED', 'FAILED');

-- CreateEnum
CREATE TYPE "Decision" AS ENUM ('APPROVE', 'REJECT');

-- CreateEnum
CREATE TYPE "DeploymentAction" AS ENUM ('CANARY', 'PROMOTE', 'ROLLBACK');

-- CreateEnum
CREATE TYPE "DeploymentStatus" AS ENUM ('PENDING', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "AlertKind" AS ENUM ('LATENCY_P95', 'ERROR_RATE', 'DRIFT_SHARE', 'NO_DATA');

-- CreateEnum
CREATE TYPE "AlertState" AS ENUM ('PENDING', 'FIRING', 'ACKNOWLEDGED', 'RESOLVED');

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "entra_object_id" TEXT NOT NULL,
    "email" TEXT,
    "name" TEXT NOT NULL,
    "roles" "Role"[],
    "last_sign_in_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_runs" (
    "id" UUID NOT NULL,
    "run_name" TEXT NOT NULL,
    "kind" "RunKind" NOT NULL,
    "experiment_name" TEXT NOT NULL,
    "experiment_id" TEXT,
    "dataset_full_name" TEXT NOT NULL,
    "model_family" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "cluster_spec" JSONB NOT NULL,
    "timeout_seconds" INTEGER NOT NULL,
    "estimated_dbu_per_hour" DOUBLE PRECISION,
    "idempotency_token" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "databricks_run_id" BIGINT,
    "databricks_run_url" TEXT,
    "mlflow_run_id" TEXT,
    "life_cycle_state" TEXT,
    "result_state" TEXT,
    "state_message" TEXT,
    "error_message" TEXT,
    "error_trace" TEXT,
    "epochs_done" INTEGER,
    "epochs_total" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_check_at" TIMESTAMP(3),
    "cancel_requested_at" TIMESTAMP(3),
    "launched_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "training_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_run_events" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "status" "RunStatus" NOT NULL,
    "life_cycle_state" TEXT,
    "result_state" TEXT,
    "message" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_run_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_series" (
    "mlflow_run_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "last_step" BIGINT NOT NULL,
    "last_timestamp" BIGINT NOT NULL,
    "total_points" INTEGER NOT NULL,
    "steps" BIGINT[],
    "timestamps" BIGINT[],
    "values" DOUBLE PRECISION[],
    "min_value" DOUBLE PRECISION,
    "max_value" DOUBLE PRECISION,
    "last_value" DOUBLE PRECISION,
    "is_complete" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "metric_series_pkey" PRIMARY KEY ("mlflow_run_id","key")
);

-- CreateTable
CREATE TABLE "promotion_requests" (
    "id" UUID NOT NULL,
    "registry" "RegistryKind" NOT NULL,
    "model_name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "target_stage" TEXT,
    "target_alias" TEXT,
    "incumbent_version" TEXT,
    "justification" TEXT NOT NULL,
    "status" "PromotionStatus" NOT NULL DEFAULT 'OPEN',
    "evidence" JSONB NOT NULL,
    "gate_results" JSONB NOT NULL,
    "gates_passed" BOOLEAN NOT NULL,
    "required_approvals" INTEGER NOT NULL DEFAULT 1,
    "stale_reason" TEXT,
    "apply_step" TEXT,
    "apply_error" TEXT,
    "applied_at" TIMESTAMP(3),
    "revision" INTEGER NOT NULL DEFAULT 0,
    "requested_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "promotion_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "promotion_comments" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "author_id" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "promotion_comments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "promotion_decisions" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "decider_id" TEXT NOT NULL,
    "decision" "Decision" NOT NULL,
    "comment" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "promotion_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_policies" (
    "model_name" TEXT NOT NULL,
    "primary_metric" TEXT NOT NULL DEFAULT 'auc',
    "higher_is_better" BOOLEAN NOT NULL DEFAULT true,
    "minimum" DOUBLE PRECISION,
    "max_regression" DOUBLE PRECISION,
    "required_checklist" TEXT[],
    "production_approvals" INTEGER NOT NULL DEFAULT 2,
    "canary_percent" INTEGER NOT NULL DEFAULT 10,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "model_policies_pkey" PRIMARY KEY ("model_name")
);

-- CreateTable
CREATE TABLE "deployments" (
    "id" UUID NOT NULL,
    "action" "DeploymentAction" NOT NULL,
    "status" "DeploymentStatus" NOT NULL DEFAULT 'PENDING',
    "namespace" TEXT NOT NULL,
    "service_name" TEXT NOT NULL,
    "model_name" TEXT,
    "model_version" TEXT,
    "storage_uri" TEXT,
    "canary_percent" INTEGER,
    "step" TEXT,
    "revision_name" TEXT,
    "previous_revision" TEXT,
    "error" TEXT,
    "promotion_request_id" UUID,
    "requested_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "deployments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_rules" (
    "id" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "service_name" TEXT NOT NULL,
    "kind" "AlertKind" NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "for_minutes" INTEGER NOT NULL DEFAULT 5,
    "is_enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "state" "AlertState" NOT NULL DEFAULT 'PENDING',
    "revision_name" TEXT,
    "model_version" TEXT,
    "value" DOUBLE PRECISION,
    "summary" TEXT NOT NULL,
    "pending_since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fired_at" TIMESTAMP(3),
    "acknowledged_at" TIMESTAMP(3),
    "acknowledged_by_id" TEXT,
    "ack_note" TEXT,
    "resolved_at" TIMESTAMP(3),

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_silences" (
    "id" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "service_name" TEXT NOT NULL,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_silences_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drift_monitors" (
    "id" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "service_name" TEXT NOT NULL,
    "model_name" TEXT NOT NULL,
    "model_version" TEXT NOT NULL,
    "features" JSONB NOT NULL,
    "window_minutes" INTEGER NOT NULL DEFAULT 5,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "drift_monitors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feature_windows" (
    "monitor_id" UUID NOT NULL,
    "window_start" TIMESTAMP(3) NOT NULL,
    "feature" TEXT NOT NULL,
    "counts" INTEGER[],
    "total" INTEGER NOT NULL,

    CONSTRAINT "feature_windows_pkey" PRIMARY KEY ("monitor_id","window_start","feature")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "seq" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_oid" TEXT NOT NULL,
    "actor_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "link" TEXT,
    "read_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_entra_object_id_key" ON "users"("entra_object_id");

-- CreateIndex
CREATE UNIQUE INDEX "training_runs_idempotency_token_key" ON "training_runs"("idempotency_token");

-- CreateIndex
CREATE UNIQUE INDEX "training_runs_databricks_run_id_key" ON "training_runs"("databricks_run_id");

-- CreateIndex
CREATE INDEX "training_runs_status_idx" ON "training_runs"("status");

-- CreateIndex
CREATE INDEX "training_runs_launched_by_id_created_at_idx" ON "training_runs"("launched_by_id", "created_at");

-- CreateIndex
CREATE INDEX "training_runs_dataset_full_name_idx" ON "training_runs"("dataset_full_name");

-- CreateIndex
CREATE INDEX "training_runs_created_at_idx" ON "training_runs"("created_at");

-- CreateIndex
CREATE INDEX "training_run_events_run_id_at_idx" ON "training_run_events"("run_id", "at");

-- CreateIndex
CREATE INDEX "promotion_requests_status_created_at_idx" ON "promotion_requests"("status", "created_at");

-- CreateIndex
CREATE INDEX "promotion_requests_model_name_version_idx" ON "promotion_requests"("model_name", "version");

-- CreateIndex
CREATE INDEX "promotion_comments_request_id_created_at_idx" ON "promotion_comments"("request_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "promotion_decisions_request_id_decider_id_key" ON "promotion_decisions"("request_id", "decider_id");

-- CreateIndex
CREATE INDEX "deployments_namespace_service_name_created_at_idx" ON "deployments"("namespace", "service_name", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_rules_namespace_service_name_kind_key" ON "alert_rules"("namespace", "service_name", "kind");

-- CreateIndex
CREATE INDEX "alerts_state_pending_since_idx" ON "alerts"("state", "pending_since");

-- CreateIndex
CREATE INDEX "alerts_rule_id_state_idx" ON "alerts"("rule_id", "state");

-- CreateIndex
CREATE INDEX "alert_silences_namespace_service_name_ends_at_idx" ON "alert_silences"("namespace", "service_name", "ends_at");

-- CreateIndex
CREATE UNIQUE INDEX "drift_monitors_namespace_service_name_model_version_key" ON "drift_monitors"("namespace", "service_name", "model_version");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_hash_key" ON "audit_events"("hash");

-- CreateIndex
CREATE INDEX "audit_events_entity_type_entity_id_idx" ON "audit_events"("entity_type", "entity_id");

-- CreateIndex
CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events"("occurred_at");

-- CreateIndex
CREATE INDEX "notifications_user_id_read_at_created_at_idx" ON "notifications"("user_id", "read_at", "created_at");

-- AddForeignKey
ALTER TABLE "training_runs" ADD CONSTRAINT "training_runs_launched_by_id_fkey" FOREIGN KEY ("launched_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_run_events" ADD CONSTRAINT "training_run_events_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "training_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion_comments" ADD CONSTRAINT "promotion_comments_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "promotion_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion_comments" ADD CONSTRAINT "promotion_comments_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion_decisions" ADD CONSTRAINT "promotion_decisions_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "promotion_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion_decisions" ADD CONSTRAINT "promotion_decisions_decider_id_fkey" FOREIGN KEY ("decider_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_promotion_request_id_fkey" FOREIGN KEY ("promotion_request_id") REFERENCES "promotion_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acknowledged_by_id_fkey" FOREIGN KEY ("acknowledged_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_silences" ADD CONSTRAINT "alert_silences_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feature_windows" ADD CONSTRAINT "feature_windows_monitor_id_fkey" FOREIGN KEY ("monitor_id") REFERENCES "drift_monitors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

