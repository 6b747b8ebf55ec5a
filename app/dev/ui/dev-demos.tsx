"use client";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ToastProvider, useToast } from "@/components/ui/toast";
import { useState } from "react";

function ToastButtons() {
  const { showToast } = useToast();
  return (
    <div className="flex flex-wrap gap-2">
      <Button
        onClick={() =>
          showToast({
            tone: "success",
            title: "Promotion requested",
            description: "churn-xgb v13 is waiting for a model risk officer.",
          })
        }
      >
        Success toast
      </Button>
      <Button
        onClick={() =>
          showToast({
            tone: "danger",
            title: "Rollback failed",
            description: "KServe rejected the patch: revision 00012 no longer exists.",
          })
        }
      >
        Error toast
      </Button>
    </div>
  );
}

/** Client-only demos for the preview page: toasts and a plain dialog. */
export function DevDemos() {
  const [isOpen, setIsOpen] = useState(false);
  return (
    <ToastProvider>
      <div className="flex flex-wrap gap-2">
        <ToastButtons />
        <Button variant="secondary" onClick={() => setIsOpen(true)}>
          Open dialog
        </Button>
      </div>
      <Dialog
        isOpen={isOpen}
        onClose={() => setIsOpen(false)}
        title="Run details"
        description="A plain dialog: Escape, the close button or a click outside closes it."
        footer={<Button onClick={() => setIsOpen(false)}>Done</Button>}
      >
        <p className="text-sm text-fg-muted">Dialog body content goes here.</p>
      </Dialog>
    </ToastProvider>
  );
}
