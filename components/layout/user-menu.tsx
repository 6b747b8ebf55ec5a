"use client";

import { ChevronDown, LogOut } from "lucide-react";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { buttonClassName } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { humanizeStatus } from "@/components/ui/status";
import type { Role } from "@/lib/db/generated/enums";

export interface ShellUser {
  name: string;
  email?: string | null;
  /** App roles as stored (DataScientist, ModelRiskOfficer, OnCall, Admin). */
  roles: string[];
}

export type SignOutAction = (formData: FormData) => void | Promise<void>;

const roleLabels: Record<Role, string> = {
  DataScientist: "Data scientist",
  ModelRiskOfficer: "Model risk officer",
  OnCall: "On-call",
  Admin: "Admin",
};

export function roleLabel(role: string): string {
  return Object.hasOwn(roleLabels, role) ? roleLabels[role as Role] : humanizeStatus(role);
}

function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0][0], parts[parts.length - 1][0]] : [parts[0]?.[0] ?? "?"];
  return letters.join("").toUpperCase();
}

export interface UserMenuProps {
  user: ShellUser;
  /** Server action that signs out (rendered as a form with a submit button). */
  signOutAction?: SignOutAction;
  /** Your own sign-out control (e.g. a client button calling next-auth's signOut); wins over the others. */
  signOutSlot?: ReactNode;
  /** Fallback link when neither of the above is given. */
  signOutHref?: string;
}

/** Disclosure menu with who is signed in, their roles, and Sign out. */
export function UserMenu({
  user,
  signOutAction,
  signOutSlot,
  signOutHref = "/api/auth/signout",
}: UserMenuProps) {
  const [isOpen, setIsOpen] = useState(false);
  const panelId = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!isOpen) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!containerRef.current?.contains(event.target as Node)) setIsOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setIsOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [isOpen]);

  return (
    <div
      ref={containerRef}
      className="relative"
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setIsOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={isOpen}
        aria-controls={panelId}
        onClick={() => setIsOpen((open) => !open)}
        className="flex h-8 items-center gap-2 rounded-md pr-1.5 pl-1 text-sm text-fg hover:bg-surface-muted"
      >
        <span
          aria-hidden="true"
          className="flex size-6 items-center justify-center rounded-full bg-accent-soft text-2xs font-semibold text-accent-text"
        >
          {initialsOf(user.name)}
        </span>
        <span className="hidden max-w-40 truncate font-medium sm:inline">{user.name}</span>
        <span className="sr-only sm:hidden">{user.name}</span>
        <span className="sr-only">, account menu</span>
        <ChevronDown
          aria-hidden="true"
          className={cx("size-3.5 text-fg-subtle transition-transform", isOpen && "rotate-180")}
        />
      </button>
      <div
        id={panelId}
        hidden={!isOpen}
        className="absolute top-full right-0 z-40 mt-1.5 w-72 rounded-lg border border-line bg-surface-raised shadow-overlay"
      >
        <div className="space-y-2 border-b border-line px-4 py-3">
          <div className="min-w-0">
            <p className="truncate text-sm font-semibold text-fg">{user.name}</p>
            {user.email && <p className="truncate text-xs text-fg-muted">{user.email}</p>}
          </div>
          <div>
            <p className="sr-only">Roles</p>
            {user.roles.length > 0 ? (
              <ul className="flex flex-wrap gap-1">
                {user.roles.map((role) => (
                  <li key={role}>
                    <Badge size="sm">{roleLabel(role)}</Badge>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-xs text-fg-muted">No roles assigned</p>
            )}
          </div>
        </div>
        <div className="p-1.5">
          {signOutSlot ? (
            signOutSlot
          ) : signOutAction ? (
            <form action={signOutAction}>
              <button
                type="submit"
                className={buttonClassName({ variant: "ghost", className: "w-full justify-start!" })}
              >
                <LogOut aria-hidden="true" className="size-4" />
                Sign out
              </button>
            </form>
          ) : (
            <a
              href={signOutHref}
              className={buttonClassName({ variant: "ghost", className: "w-full justify-start!" })}
            >
              <LogOut aria-hidden="true" className="size-4" />
              Sign out
            </a>
          )}
        </div>
      </div>
    </div>
  );
}
