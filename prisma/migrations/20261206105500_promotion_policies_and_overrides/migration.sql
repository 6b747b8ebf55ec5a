-- Versioned promotion policies per model and target, gate overrides by two officers, and gates the
-- worker evaluates (a request is EVALUATING until it has, so evidence and gate results start empty).

-- AlterEnum
ALTER TYPE "PromotionStatus" ADD VALUE 'EVALUATING' BEFORE 'OPEN';

-- CreateTable
CREATE TABLE "promotion_policies" (
    "id" UUID NOT NULL,
    "model_name" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "metrics" JSONB NOT NULL,
    "min_evaluation_rows" INTEGER,
    "required_evidence" TEXT[],
    "approvals" INTEGER NOT NULL,
    "canary_percent" INTEGER NOT NULL DEFAULT 10,
    "effective_from" TIMESTAMP(3) NOT NULL,
    "note" TEXT NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "promotion_policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gate_overrides" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "gate_ids" TEXT[],
    "reason" TEXT NOT NULL,
    "proposed_by_id" TEXT NOT NULL,
    "proposed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmed_by_id" TEXT,
    "confirmed_at" TIMESTAMP(3),

    CONSTRAINT "gate_overrides_pkey" PRIMARY KEY ("id")
);

-- AlterTable
ALTER TABLE "promotion_requests" ALTER COLUMN "evidence" DROP NOT NULL,
ALTER COLUMN "gate_results" DROP NOT NULL,
ADD COLUMN "policy_id" UUID,
ADD COLUMN "evaluation_error" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "promotion_policies_model_name_target_version_key" ON "promotion_policies"("model_name", "target", "version");

-- CreateIndex
CREATE INDEX "promotion_policies_model_name_target_effective_from_idx" ON "promotion_policies"("model_name", "target", "effective_from");

-- CreateIndex
CREATE UNIQUE INDEX "gate_overrides_request_id_key" ON "gate_overrides"("request_id");

-- AddForeignKey
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "promotion_policies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion_policies" ADD CONSTRAINT "promotion_policies_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gate_overrides" ADD CONSTRAINT "gate_overrides_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "promotion_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gate_overrides" ADD CONSTRAINT "gate_overrides_proposed_by_id_fkey" FOREIGN KEY ("proposed_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gate_overrides" ADD CONSTRAINT "gate_overrides_confirmed_by_id_fkey" FOREIGN KEY ("confirmed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Backfill: each per-model policy becomes version 1 of that model's every-target ("*") policy.
INSERT INTO "promotion_policies" ("id", "model_name", "target", "version", "metrics", "min_evaluation_rows", "required_evidence", "approvals", "canary_percent", "effective_from", "note")
SELECT gen_random_uuid(), "model_name", '*', 1,
       CASE WHEN "minimum" IS NULL AND "max_regression" IS NULL THEN '[]'::jsonb
            ELSE jsonb_build_array(jsonb_build_object('key', "primary_metric", 'direction', CASE WHEN "higher_is_better" THEN 'higher' ELSE 'lower' END,
                                                      'isRequired', true, 'minimum', "minimum", 'maxRegression', "max_regression")) END,
       NULL,
       ARRAY(SELECT CASE c WHEN 'model-card-reviewed' THEN 'model-card' ELSE 'fairness-check' END FROM unnest("required_checklist") AS c
             WHERE c IN ('model-card-reviewed', 'fairness-check-done')),
       "production_approvals", "canary_percent", "updated_at", 'Migrated from the per-model policy'
FROM "model_policies";

-- DropTable
DROP TABLE "model_policies";

-- Hand-written (Prisma cannot express triggers): a policy version, once written, never changes;
-- a change is the next version, so the history an auditor reads is the table itself.
CREATE FUNCTION "promotion_policies_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'promotion_policies is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'P0001',
              HINT = 'Insert the next version of the policy instead.';
END;
$$;

CREATE TRIGGER "promotion_policies_no_update_or_delete"
    BEFORE UPDATE OR DELETE ON "promotion_policies"
    FOR EACH STATEMENT EXECUTE FUNCTION "promotion_policies_refuse_change"();
