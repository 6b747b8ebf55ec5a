-- What the serving reconciler finds when the registry and KServe disagree about a model's version.

-- CreateTable
CREATE TABLE "serving_mismatches" (
    "id" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "service_name" TEXT NOT NULL,
    "model_name" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "served_version" TEXT NOT NULL,
    "registry_version" TEXT,
    "detected_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMP(3),

    CONSTRAINT "serving_mismatches_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "serving_mismatches_namespace_service_name_resolved_at_idx" ON "serving_mismatches"("namespace", "service_name", "resolved_at");
