"use client";

import { useEffect, useRef } from "react";
import { CircleAlert } from "lucide-react";

export interface FormFieldError {
  /** The Field's id, so the summary can link to the control. */
  fieldId: string;
  message: string;
}

export interface FormErrorSummaryProps {
  title?: string;
  /** Errors not tied to one field (e.g. "The model version no longer exists"). */
  formErrors?: string[];
  fieldErrors?: FormFieldError[];
  /** Move focus here when errors appear (default). Off only where the summary is not a submit result. */
  isFocusedOnShow?: boolean;
}

/**
 * Top-of-form summary after a failed submit (GOV.UK pattern): takes focus so keyboard and screen-reader
 * users land on it, and links each message to its field.
 */
export function FormErrorSummary({
  title = "There is a problem",
  formErrors = [],
  fieldErrors = [],
  isFocusedOnShow = true,
}: FormErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  const signature = JSON.stringify([formErrors, fieldErrors]);
  const hasErrors = formErrors.length > 0 || fieldErrors.length > 0;

  useEffect(() => {
    if (hasErrors && isFocusedOnShow) ref.current?.focus();
  }, [signature, hasErrors, isFocusedOnShow]);

  if (!hasErrors) return null;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alert"
      aria-labelledby="form-error-summary-title"
      className="rounded-lg border border-danger-line bg-danger-soft px-4 py-3 text-sm"
    >
      <p id="form-error-summary-title" className="flex items-center gap-2 font-semibold text-danger">
        <CircleAlert aria-hidden="true" className="size-4" />
        {title}
      </p>
      <ul className="mt-2 list-disc space-y-1 pl-9 text-fg">
        {formErrors.map((message) => (
          <li key={message}>{message}</li>
        ))}
        {fieldErrors.map((error) => (
          <li key={error.fieldId}>
            <a
              href={`#${error.fieldId}`}
              onClick={(event) => {
                event.preventDefault();
                document.getElementById(error.fieldId)?.focus();
              }}
              className="font-medium text-danger underline"
            >
              {error.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
