-- AlterTable
ALTER TABLE "metric_series" ADD COLUMN     "previews" JSONB;
