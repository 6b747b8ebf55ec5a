-- A copy made from a bounded sample (get-history-bulk-interval) while a viewer waited; the next sync replaces it with one built from the whole history.
ALTER TABLE "metric_series" ADD COLUMN "is_sampled" BOOLEAN NOT NULL DEFAULT false;
