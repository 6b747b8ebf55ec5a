import Link from "next/link";
import type { ButtonHTMLAttributes, ComponentProps, ReactNode } from "react";
import { cx } from "./cx";
import { Spinner } from "./spinner";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";
export type ButtonSize = "sm" | "md" | "lg";

const variantClass: Record<ButtonVariant, string> = {
  primary: "bg-accent text-on-solid border-transparent shadow-card hover:bg-accent-hover",
  secondary: "bg-surface text-fg border-line-strong shadow-card hover:bg-surface-muted",
  danger: "bg-danger-solid text-on-solid border-transparent shadow-card hover:bg-danger-hover",
  ghost: "bg-transparent text-fg-muted border-transparent hover:bg-surface-muted hover:text-fg",
};

const sizeClass: Record<ButtonSize, string> = {
  sm: "h-7 gap-1.5 text-xs",
  md: "h-8 gap-2 text-sm",
  lg: "h-10 gap-2 text-sm",
};

const paddingClass: Record<ButtonSize, string> = { sm: "px-2.5", md: "px-3", lg: "px-4" };
const iconOnlyClass: Record<ButtonSize, string> = { sm: "w-7", md: "w-8", lg: "w-10" };

/** Classes for anything that should look like a button (also used by ButtonLink and dialogs). */
export function buttonClassName({
  variant = "secondary",
  size = "md",
  isIconOnly = false,
  className,
}: { variant?: ButtonVariant; size?: ButtonSize; isIconOnly?: boolean; className?: string } = {}): string {
  return cx(
    "inline-flex shrink-0 cursor-pointer items-center justify-center rounded-md border font-medium whitespace-nowrap select-none [&_svg]:shrink-0",
    "transition-colors duration-100",
    "disabled:cursor-not-allowed disabled:opacity-55 aria-disabled:cursor-not-allowed aria-disabled:opacity-55",
    variantClass[variant],
    sizeClass[size],
    isIconOnly ? iconOnlyClass[size] : paddingClass[size],
    className,
  );
}

interface SharedButtonProps {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Icon before the label (decorative; give icon-only buttons an aria-label). */
  icon?: ReactNode;
  isIconOnly?: boolean;
}

export interface ButtonProps extends SharedButtonProps, ButtonHTMLAttributes<HTMLButtonElement> {
  /** Busy: disables the button, shows a spinner, keeps the label so the width does not jump. */
  isLoading?: boolean;
  /** Announced while loading, e.g. "Rolling back…"; defaults to the visible label. */
  loadingLabel?: string;
}

export function Button({
  variant,
  size,
  icon,
  isIconOnly,
  isLoading = false,
  loadingLabel,
  className,
  children,
  disabled,
  type = "button",
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled || isLoading}
      aria-busy={isLoading || undefined}
      className={buttonClassName({ variant, size, isIconOnly, className })}
      {...rest}
    >
      {isLoading ? <Spinner /> : icon}
      {children}
      {isLoading && loadingLabel && <span className="sr-only">{loadingLabel}</span>}
    </button>
  );
}

export interface ButtonLinkProps extends SharedButtonProps, Omit<ComponentProps<typeof Link>, "className"> {
  className?: string;
}

/** Navigation that looks like a button (e.g. "New run"). Uses next/link, so it prefetches. */
export function ButtonLink({
  variant,
  size,
  icon,
  isIconOnly,
  className,
  children,
  ...rest
}: ButtonLinkProps) {
  return (
    <Link className={buttonClassName({ variant, size, isIconOnly, className })} {...rest}>
      {icon}
      {children}
    </Link>
  );
}
