"use server";

import type { ConfirmActionResult } from "@/components/ui/confirm-dialog";

/** Preview-only stand-in for a real server action: waits, then succeeds or returns an error to show. */
export async function previewRollbackAction(formData: FormData): Promise<ConfirmActionResult> {
  if (process.env.NODE_ENV === "production") return { error: "Not available." };
  await new Promise((resolve) => setTimeout(resolve, 900));
  if (formData.get("outcome") === "error") {
    return { error: "KServe rejected the change: revision churn-xgb-predictor-00012 no longer exists." };
  }
}
