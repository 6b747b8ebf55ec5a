/** The semantic colour roles every status, notice and badge is drawn with (see app/globals.css). */
export type Tone = "neutral" | "info" | "progress" | "success" | "warning" | "danger";

/** Soft badge: tinted background, readable text, matching border. `progress` reads as accent. */
export const toneBadgeClass: Record<Tone, string> = {
  neutral: "bg-neutral-soft text-neutral border-neutral-line",
  info: "bg-info-soft text-info border-info-line",
  progress: "bg-accent-soft text-accent-text border-accent-line",
  success: "bg-success-soft text-success border-success-line",
  warning: "bg-warning-soft text-warning border-warning-line",
  danger: "bg-danger-soft text-danger border-danger-line",
};

export const toneDotClass: Record<Tone, string> = {
  neutral: "bg-neutral-solid",
  info: "bg-info-solid",
  progress: "bg-accent",
  success: "bg-success-solid",
  warning: "bg-warning-solid",
  danger: "bg-danger-solid",
};

export const toneTextClass: Record<Tone, string> = {
  neutral: "text-fg-muted",
  info: "text-info",
  progress: "text-accent-text",
  success: "text-success",
  warning: "text-warning",
  danger: "text-danger",
};
