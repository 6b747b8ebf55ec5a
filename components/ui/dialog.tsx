"use client";

import { X } from "lucide-react";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { Button } from "./button";
import { cx } from "./cx";

export interface DialogProps {
  isOpen: boolean;
  /** Called on Escape, the close button, a backdrop click, or form method="dialog". */
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons, right-aligned. */
  footer?: ReactNode;
  size?: "sm" | "md" | "lg";
}

const sizeClass = { sm: "max-w-md", md: "max-w-lg", lg: "max-w-2xl" } as const;

/**
 * A modal on the native <dialog>: showModal() makes the rest of the page inert (the focus trap),
 * Escape closes it, and the browser returns focus to the opener. Put `data-autofocus` on the control
 * that should receive focus first (default: the first focusable element).
 */
export function Dialog({ isOpen, onClose, title, description, children, footer, size = "md" }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const onCloseRef = useRef(onClose);

  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) {
      dialog.showModal();
      // React does not render the autofocus attribute, so mark the initial focus with data-autofocus.
      dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    }
    if (!isOpen && dialog.open) dialog.close();
  }, [isOpen]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const handleClose = () => onCloseRef.current();
    dialog.addEventListener("close", handleClose);
    return () => dialog.removeEventListener("close", handleClose);
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onClick={(event) => {
        if (event.target === event.currentTarget) event.currentTarget.close();
      }}
      className={cx(
        "m-auto w-[calc(100%-2rem)] rounded-xl border border-line bg-surface-raised p-0 text-fg shadow-overlay",
        sizeClass[size],
      )}
    >
      <div className="flex items-start justify-between gap-4 px-5 pt-5">
        <div className="space-y-1">
          <h2 id={titleId} className="text-base font-semibold text-fg">
            {title}
          </h2>
          {description && (
            <div id={descriptionId} className="text-sm text-fg-muted">
              {description}
            </div>
          )}
        </div>
        <Button
          variant="ghost"
          size="sm"
          isIconOnly
          aria-label="Close"
          onClick={() => ref.current?.close()}
          className="-mt-1 -mr-2"
        >
          <X aria-hidden="true" className="size-4" />
        </Button>
      </div>
      <div className={cx("px-5", children ? "pt-4 pb-5" : "pb-5")}>{children}</div>
      {footer && (
        <div className="flex flex-wrap justify-end gap-2 rounded-b-xl border-t border-line bg-surface-muted px-5 py-3">
          {footer}
        </div>
      )}
    </dialog>
  );
}
