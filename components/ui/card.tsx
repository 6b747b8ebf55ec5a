import { useId, type ReactNode } from "react";
import { cx } from "./cx";

export interface CardProps {
  title?: ReactNode;
  description?: ReactNode;
  /** Buttons or links in the header's right corner. */
  actions?: ReactNode;
  /** Freshness note under the actions, e.g. <>Updated <RelativeTime date={...} /></>. */
  lastUpdated?: ReactNode;
  footer?: ReactNode;
  /** "none" for edge-to-edge content such as a DataTable. */
  padding?: "none" | "md";
  /** Heading level of the title so the page outline stays correct (default h2). */
  headingLevel?: 2 | 3 | 4;
  /**
   * Make the card a named region landmark. Off by default: headings already structure the page,
   * and a dashboard of landmarks is noise; use it for the one or two areas people jump to.
   */
  isLandmark?: boolean;
  className?: string;
  children?: ReactNode;
}

/** A titled block of a page: header (title, description, freshness, actions), body, footer. */
export function Card({
  title,
  description,
  actions,
  lastUpdated,
  footer,
  padding = "md",
  headingLevel = 2,
  isLandmark = false,
  className,
  children,
}: CardProps) {
  const titleId = useId();
  const Heading = `h${headingLevel}` as const;
  const hasHeader = Boolean(title || description || actions || lastUpdated);
  const Container = isLandmark ? "section" : "div";
  return (
    <Container
      aria-labelledby={isLandmark && title ? titleId : undefined}
      className={cx("min-w-0 rounded-lg border border-line bg-surface shadow-card", className)}
    >
      {hasHeader && (
        <header className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2 border-b border-line px-4 py-3">
          <div className="min-w-0 space-y-0.5">
            {title && (
              <Heading id={titleId} className="text-sm font-semibold text-fg">
                {title}
              </Heading>
            )}
            {description && <p className="text-xs text-fg-muted">{description}</p>}
          </div>
          {(actions || lastUpdated) && (
            <div className="flex items-center gap-3">
              {lastUpdated && <p className="text-xs text-fg-subtle">{lastUpdated}</p>}
              {actions && <div className="flex items-center gap-2">{actions}</div>}
            </div>
          )}
        </header>
      )}
      {children !== undefined && <div className={padding === "md" ? "p-4" : undefined}>{children}</div>}
      {footer && <footer className="border-t border-line px-4 py-2.5 text-xs text-fg-muted">{footer}</footer>}
    </Container>
  );
}
