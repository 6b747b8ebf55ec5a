-- Experiments whose runs the worker copies ahead of time: opened or compared lately, launched into, or pinned.
CREATE TABLE "watched_experiments" (
    "experiment_id" TEXT NOT NULL,
    "is_pinned" BOOLEAN NOT NULL DEFAULT false,
    "last_viewed_at" TIMESTAMP(3),
    "finished_after" BIGINT,
    "checked_at" TIMESTAMP(3),

    CONSTRAINT "watched_experiments_pkey" PRIMARY KEY ("experiment_id")
);
