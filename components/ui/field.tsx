import {
  cloneElement,
  type InputHTMLAttributes,
  type ReactElement,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import { cx } from "./cx";

/** Ids of a field's hint and error, so the control can point at them with aria-describedby. */
export function fieldDescriptionIds(id: string) {
  return { hintId: `${id}-hint`, errorId: `${id}-error` };
}

interface ControlAccessibilityProps {
  id?: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
  required?: boolean;
}

export interface FieldProps {
  /** The control's id; also used for the hint and error ids and as the error summary's link target. */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /** Validation message for this field (from the server action's result). */
  error?: string;
  isRequired?: boolean;
  /** Exactly one Input, Select or Textarea: Field sets its id, aria-describedby, aria-invalid, required. */
  children: ReactElement<ControlAccessibilityProps>;
  className?: string;
}

/** Label + control + hint + error, wired for assistive technology. */
export function Field({ id, label, hint, error, isRequired = false, children, className }: FieldProps) {
  const { hintId, errorId } = fieldDescriptionIds(id);
  const describedBy = [hint ? hintId : null, error ? errorId : null, children.props["aria-describedby"]]
    .filter(Boolean)
    .join(" ");
  const control = cloneElement(children, {
    id,
    "aria-describedby": describedBy || undefined,
    "aria-invalid": error ? true : undefined,
    required: isRequired || children.props.required,
  });
  return (
    <div className={cx("space-y-1.5", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-fg">
        {label}
        {isRequired && (
          <span aria-hidden="true" className="ml-0.5 text-danger">
            *
          </span>
        )}
      </label>
      {control}
      {hint && (
        <p id={hintId} className="text-xs text-fg-muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-xs font-medium text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

const controlClass = cx(
  "block w-full rounded-md border border-control-line bg-surface text-sm text-fg shadow-card",
  "placeholder:text-fg-subtle",
  "focus-visible:border-accent focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-focus",
  "disabled:cursor-not-allowed disabled:bg-surface-muted disabled:text-fg-muted",
  "aria-invalid:border-danger-solid",
);

export function Input({ className, ...rest }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={cx(controlClass, "h-8 px-2.5", className)} {...rest} />;
}

export function Textarea({ className, rows = 4, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <textarea
      rows={rows}
      className={cx(controlClass, "min-h-16 px-2.5 py-1.5 leading-5", className)}
      {...rest}
    />
  );
}

export interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  options: Array<{ value: string; label: string; isDisabled?: boolean }>;
  /** First, empty option ("Choose a dataset…"); selecting it submits "". */
  placeholder?: string;
}

/** A native select (best keyboard and screen-reader support, works without JavaScript). */
export function Select({ options, placeholder, className, ...rest }: SelectProps) {
  return (
    <select className={cx(controlClass, "h-8 appearance-auto pr-8 pl-2", className)} {...rest}>
      {placeholder !== undefined && <option value="">{placeholder}</option>}
      {options.map((option) => (
        <option key={option.value} value={option.value} disabled={option.isDisabled}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

export interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "type"> {
  id: string;
  label: ReactNode;
  description?: ReactNode;
}

/** A checkbox with its own label and optional description. */
export function Checkbox({ id, label, description, className, ...rest }: CheckboxProps) {
  const descriptionId = description ? `${id}-description` : undefined;
  return (
    <div className={cx("flex items-start gap-2.5", className)}>
      <input
        id={id}
        type="checkbox"
        aria-describedby={descriptionId}
        className="mt-0.5 size-4 shrink-0 cursor-pointer rounded-sm border-control-line accent-accent disabled:cursor-not-allowed"
        {...rest}
      />
      <div className="space-y-0.5">
        <label htmlFor={id} className="block cursor-pointer text-sm font-medium text-fg">
          {label}
        </label>
        {description && (
          <p id={descriptionId} className="text-xs text-fg-muted">
            {description}
          </p>
        )}
      </div>
    </div>
  );
}
