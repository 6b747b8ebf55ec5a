-- CreateTable
CREATE TABLE "alert_rule_seeds" (
    "namespace" TEXT NOT NULL,
    "service_name" TEXT NOT NULL,
    "seeded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_rule_seeds_pkey" PRIMARY KEY ("namespace","service_name")
);

-- Backfill: a service that already has rules was seeded by the old evaluation (or configured by
-- hand); without a seed row it would be seeded a second time once its rules are deleted.
INSERT INTO "alert_rule_seeds" ("namespace", "service_name", "seeded_at")
SELECT "namespace", "service_name", MIN("created_at")
FROM "alert_rules"
GROUP BY "namespace", "service_name"
ON CONFLICT DO NOTHING;
