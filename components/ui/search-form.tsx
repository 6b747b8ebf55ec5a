import { Search } from "lucide-react";
import type { ReactNode } from "react";
import { buttonClassName } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Input } from "@/components/ui/field";

/**
 * A plain GET form to `action?q=`, so search works before (and without) JavaScript. `label` names the
 * field for screen readers; further filters (a checkbox) go in `children`, between the field and the button.
 */
export function SearchForm({
  action,
  id,
  label,
  placeholder,
  query,
  className,
  children,
}: {
  action: string;
  id: string;
  label: string;
  placeholder: string;
  query?: string;
  className?: string;
  children?: ReactNode;
}) {
  return (
    <form
      role="search"
      action={action}
      method="get"
      className={cx("flex flex-wrap items-center gap-2", className)}
    >
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <div className="relative min-w-64 flex-1">
        <Search
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-fg-subtle"
        />
        <Input
          id={id}
          type="search"
          name="q"
          defaultValue={query}
          placeholder={placeholder}
          className="pl-8"
          maxLength={200}
        />
      </div>
      {children}
      <button type="submit" className={buttonClassName({ variant: "primary" })}>
        Search
      </button>
    </form>
  );
}
