import Link from "next/link";
import { ChevronLeft, ChevronRight } from "lucide-react";
import type { ReactNode } from "react";
import { buttonClassName } from "./button";
import { cx } from "./cx";

export interface PaginationProps {
  /** Link to the previous page (e.g. `?page_token=…`); omit on the first page. */
  previousHref?: string;
  /** Link to the next page; omit when the cloud returned no next_page_token. */
  nextHref?: string;
  /** e.g. "Showing 51–100" or "Page 2". */
  summary?: ReactNode;
  /** Names the landmark when a page has more than one paginated list. */
  label?: string;
  className?: string;
}

/** Token-based paging (MLflow / Databricks page tokens): previous and next only, as links. */
export function Pagination({
  previousHref,
  nextHref,
  summary,
  label = "Pagination",
  className,
}: PaginationProps) {
  return (
    <nav aria-label={label} className={cx("flex items-center justify-between gap-3 px-1 py-3", className)}>
      <p className="text-xs text-fg-muted">{summary}</p>
      <div className="flex items-center gap-2">
        <PageLink href={previousHref} rel="prev">
          <ChevronLeft aria-hidden="true" className="size-4" />
          Previous
        </PageLink>
        <PageLink href={nextHref} rel="next">
          Next
          <ChevronRight aria-hidden="true" className="size-4" />
        </PageLink>
      </div>
    </nav>
  );
}

function PageLink({ href, rel, children }: { href?: string; rel: "prev" | "next"; children: ReactNode }) {
  const className = buttonClassName({
    variant: "secondary",
    size: "sm",
    className: rel === "prev" ? "pl-1.5!" : "pr-1.5!",
  });
  if (!href) {
    return (
      <span aria-disabled="true" className={className}>
        {children}
      </span>
    );
  }
  return (
    <Link href={href} rel={rel} className={className}>
      {children}
    </Link>
  );
}
