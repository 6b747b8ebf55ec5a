"use client";

import { useActionState, useEffect, useId, useState, type ReactNode } from "react";
import { Button, type ButtonVariant } from "./button";
import { Dialog } from "./dialog";
import { Field, Input } from "./field";
import { Notice } from "./notice";

/** What the confirmed action returns: nothing on success, or a message safe to show. */
export type ConfirmActionResult = void | { error?: string | null };

export interface ConfirmDialogProps {
  /** The button that opens the dialog. */
  triggerLabel: string;
  /** The trigger's accessible name when its visible label repeats on the page ("Delete latency rule on churn"). */
  triggerAriaLabel?: string;
  triggerVariant?: ButtonVariant;
  triggerIcon?: ReactNode;
  isTriggerDisabled?: boolean;
  title: string;
  /** Say what will happen and what it affects ("Traffic returns to revision 00012 …"). */
  description: ReactNode;
  confirmLabel: string;
  /** Shown on the confirm button while the action runs ("Rolling back…"). */
  pendingLabel?: string;
  tone?: "danger" | "primary";
  /** A server action (or any async function) receiving the form: hidden `fields` plus `children` inputs. */
  action: (formData: FormData) => Promise<ConfirmActionResult>;
  /** Hidden inputs sent with the action (ids, expected versions for optimistic concurrency). */
  fields?: Record<string, string>;
  /** Require typing this text (e.g. the service name) before the confirm button enables. */
  confirmationText?: string;
  /** Extra inputs inside the form, e.g. a required comment Field. */
  children?: ReactNode;
}

interface ConfirmState {
  error: string | null;
  completions: number;
}

/**
 * "Roll back?"-style confirmation: a trigger button and a modal whose form posts to `action`.
 * Cancel has initial focus (the safe choice) unless the user must type a confirmation. Closes on
 * success; shows the returned error otherwise. The buttons sit in the dialog footer, tied to the form by id.
 */
export function ConfirmDialog({
  triggerLabel,
  triggerAriaLabel,
  triggerVariant,
  triggerIcon,
  isTriggerDisabled,
  title,
  description,
  confirmLabel,
  pendingLabel,
  tone = "danger",
  action,
  fields = {},
  confirmationText,
  children,
}: ConfirmDialogProps) {
  const [isOpen, setIsOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const typedId = useId();
  const formId = useId();
  const [state, formAction, isPending] = useActionState<ConfirmState, FormData>(
    async (previous, formData) => {
      const result = await action(formData);
      if (result && result.error) return { error: result.error, completions: previous.completions };
      return { error: null, completions: previous.completions + 1 };
    },
    { error: null, completions: 0 },
  );

  useEffect(() => {
    if (state.completions > 0) setIsOpen(false);
  }, [state.completions]);

  const isConfirmBlocked = confirmationText !== undefined && typed.trim() !== confirmationText;

  return (
    <>
      <Button
        variant={triggerVariant ?? (tone === "danger" ? "danger" : "primary")}
        icon={triggerIcon}
        aria-label={triggerAriaLabel}
        disabled={isTriggerDisabled}
        onClick={() => {
          setTyped("");
          setIsOpen(true);
        }}
      >
        {triggerLabel}
      </Button>
      <Dialog
        isOpen={isOpen}
        onClose={() => setIsOpen(false)}
        title={title}
        description={description}
        size="sm"
        footer={
          <>
            <Button
              data-autofocus={confirmationText === undefined ? "" : undefined}
              onClick={() => setIsOpen(false)}
              disabled={isPending}
            >
              Cancel
            </Button>
            <Button
              type="submit"
              form={formId}
              variant={tone === "danger" ? "danger" : "primary"}
              isLoading={isPending}
              loadingLabel={pendingLabel}
              disabled={isConfirmBlocked}
            >
              {isPending && pendingLabel ? pendingLabel : confirmLabel}
            </Button>
          </>
        }
      >
        <form id={formId} action={formAction} className="space-y-4">
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {children}
          {confirmationText !== undefined && (
            <Field
              id={typedId}
              label={
                <>
                  Type <span className="font-mono">{confirmationText}</span> to confirm
                </>
              }
            >
              <Input
                data-autofocus=""
                autoComplete="off"
                spellCheck={false}
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
              />
            </Field>
          )}
          {state.error && (
            <Notice tone="danger" live="assertive">
              {state.error}
            </Notice>
          )}
        </form>
      </Dialog>
    </>
  );
}
