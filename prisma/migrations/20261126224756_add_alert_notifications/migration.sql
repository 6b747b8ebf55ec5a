-- CreateTable
CREATE TABLE "alert_notifications" (
    "id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "event" "AlertState" NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "inbox_sent_at" TIMESTAMP(3),
    "webhook_sent_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),
    "outcome" TEXT,

    CONSTRAINT "alert_notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_notifications_completed_at_created_at_idx" ON "alert_notifications"("completed_at", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_notifications_alert_id_event_key" ON "alert_notifications"("alert_id", "event");

-- AddForeignKey
ALTER TABLE "alert_notifications" ADD CONSTRAINT "alert_notifications_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
