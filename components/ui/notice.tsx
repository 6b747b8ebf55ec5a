import { CircleAlert, CircleCheck, Info, TriangleAlert } from "lucide-react";
import type { ReactNode } from "react";
import { cx } from "./cx";
import { toneBadgeClass, type Tone } from "./tone";

type NoticeTone = Extract<Tone, "info" | "success" | "warning" | "danger">;

const toneIcon = { info: Info, success: CircleCheck, warning: TriangleAlert, danger: CircleAlert } as const;
const toneWord = { info: "Note", success: "Success", warning: "Warning", danger: "Error" } as const;

export interface NoticeProps {
  tone?: NoticeTone;
  title?: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  /**
   * "polite" (status) or "assertive" (alert) for notices that appear after the page loaded, such as
   * the result of a form submission; omit for notices that are part of the page from the start.
   */
  live?: "polite" | "assertive";
  className?: string;
}

/** Inline message in the page flow: a degraded dependency, a policy gate, an action's result. */
export function Notice({ tone = "info", title, children, action, live, className }: NoticeProps) {
  const Icon = toneIcon[tone];
  const role = live === "assertive" ? "alert" : live === "polite" ? "status" : undefined;
  return (
    <div
      role={role}
      className={cx("flex gap-3 rounded-lg border px-3.5 py-3 text-sm", toneBadgeClass[tone], className)}
    >
      <Icon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <div className="min-w-0 flex-1 space-y-0.5">
        <span className="sr-only">{toneWord[tone]}: </span>
        {title && <p className="font-semibold">{title}</p>}
        {children && <div className="text-fg [&_a]:font-medium [&_a]:underline">{children}</div>}
      </div>
      {action && <div className="shrink-0 self-center">{action}</div>}
    </div>
  );
}
