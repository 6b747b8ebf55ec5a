-- Alert rule defaults an admin sets on /admin/alerts (the code's defaults until a row exists).

-- CreateTable
CREATE TABLE "alert_rule_defaults" (
    "kind" "AlertKind" NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "for_minutes" INTEGER NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by_name" TEXT,

    CONSTRAINT "alert_rule_defaults_pkey" PRIMARY KEY ("kind")
);
