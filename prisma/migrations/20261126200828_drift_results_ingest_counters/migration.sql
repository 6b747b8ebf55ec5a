-- CreateTable
CREATE TABLE "drift_window_results" (
    "monitor_id" UUID NOT NULL,
    "window_start" TIMESTAMP(3) NOT NULL,
    "rows" INTEGER NOT NULL,
    "drifted_count" INTEGER NOT NULL,
    "evaluated_count" INTEGER NOT NULL,
    "share" DOUBLE PRECISION NOT NULL,
    "is_drifted" BOOLEAN NOT NULL,
    "features" JSONB NOT NULL,
    "computed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "drift_window_results_pkey" PRIMARY KEY ("monitor_id","window_start")
);

-- CreateTable
CREATE TABLE "ingest_counters" (
    "hour_start" TIMESTAMP(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "ingest_counters_pkey" PRIMARY KEY ("hour_start","outcome")
);

-- AddForeignKey
ALTER TABLE "drift_window_results" ADD CONSTRAINT "drift_window_results_monitor_id_fkey" FOREIGN KEY ("monitor_id") REFERENCES "drift_monitors"("id") ON DELETE CASCADE ON UPDATE CASCADE;
