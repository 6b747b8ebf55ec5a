"use client";

import { useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/loading-state";
import { useIsClient } from "./use-is-client";

export type ChartSize = "sm" | "md" | "lg";
const sizeClass: Record<ChartSize, string> = { sm: "h-40", md: "h-60", lg: "h-80" };

export interface LegendEntry {
  label: string;
  color: string;
  /** stroke-dasharray of a line series; ignored for boxes. */
  dash?: string;
  /** "line" for line series, "solid"/"outline" for bars. */
  swatch: "line" | "solid" | "outline";
  /** Formatted value shown after the label (the latest sample). */
  value?: string;
}

/** What every chart panel takes besides its data. */
export interface ChartPanelProps {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  /** Freshness note, e.g. <>Updated <RelativeTime date={...} /></>. */
  lastUpdated?: ReactNode;
  size?: ChartSize;
  /** One or two sentences a screen reader hears instead of the picture; replaces the generated one. */
  summary?: string;
  emptyMessage?: string;
  headingLevel?: 2 | 3 | 4;
}

interface ChartFrameProps extends ChartPanelProps {
  generatedSummary: string;
  legend: LegendEntry[];
  /** The text alternative's data (a small table), visually hidden. */
  dataTable?: ReactNode;
  /**
   * Instead, a table built only when asked for, behind a "Show values" disclosure (visible to everyone):
   * for a page of charts of up to 100 lines each, whose tables would be thousands of rows laid out unseen.
   */
  renderDataTable?: () => ReactNode;
  isEmpty: boolean;
  /** The Recharts element; rendered only in the browser. */
  children: ReactNode;
}

/** Shared frame of every chart: titled card, legend, the picture (hidden from AT) and its text alternative. */
export function ChartFrame({
  title,
  description,
  actions,
  lastUpdated,
  size = "md",
  summary,
  generatedSummary,
  emptyMessage = "Nothing has been recorded for this range yet.",
  headingLevel,
  legend,
  dataTable,
  renderDataTable,
  isEmpty,
  children,
}: ChartFrameProps) {
  const isClient = useIsClient();
  const summaryId = useId();
  return (
    <Card
      title={title}
      description={description}
      actions={actions}
      lastUpdated={lastUpdated}
      headingLevel={headingLevel}
    >
      {isEmpty ? (
        <EmptyState size="compact" title="No data" description={emptyMessage} />
      ) : (
        <figure aria-label={title} aria-describedby={summaryId} className="m-0">
          {legend.length > 0 && <Legend entries={legend} />}
          <div aria-hidden="true" className={cx("mt-3 w-full min-w-0", sizeClass[size])}>
            {isClient ? children : <Skeleton className="size-full" />}
          </div>
          <figcaption id={summaryId} className="sr-only">
            {summary ?? generatedSummary}
          </figcaption>
          {renderDataTable ? (
            <DataTableDisclosure title={title} render={renderDataTable} />
          ) : (
            <div className="sr-only">{dataTable}</div>
          )}
        </figure>
      )}
    </Card>
  );
}

/** The disclosure pattern (https://www.w3.org/WAI/ARIA/apg/patterns/disclosure/): a button that shows the table below it. */
function DataTableDisclosure({ title, render }: { title: string; render: () => ReactNode }) {
  const [isOpen, setIsOpen] = useState(false);
  const regionId = useId();
  return (
    <div className="mt-2">
      <Button
        variant="ghost"
        size="sm"
        aria-expanded={isOpen}
        aria-controls={regionId}
        onClick={() => setIsOpen((open) => !open)}
      >
        {isOpen ? "Hide values" : "Show values"}
        <span className="sr-only"> of {title}</span>
      </Button>
      <div id={regionId} hidden={!isOpen} className="mt-1 max-h-64 overflow-auto">
        {isOpen && render()}
      </div>
    </div>
  );
}

function Legend({ entries }: { entries: LegendEntry[] }) {
  return (
    <ul aria-hidden="true" className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-fg-muted">
      {entries.map((entry) => (
        <li key={entry.label} className="flex min-w-0 items-center gap-1.5">
          <svg viewBox="0 0 20 10" className="h-2.5 w-5 shrink-0">
            {entry.swatch === "line" ? (
              <line
                x1="1"
                y1="5"
                x2="19"
                y2="5"
                stroke={entry.color}
                strokeWidth="2.5"
                strokeDasharray={entry.dash}
                strokeLinecap="butt"
              />
            ) : (
              <rect
                x="3"
                y="1"
                width="14"
                height="8"
                rx="1.5"
                fill={entry.swatch === "solid" ? entry.color : "none"}
                stroke={entry.color}
                strokeWidth="1.5"
                strokeDasharray={entry.swatch === "outline" ? "2.5 1.5" : undefined}
              />
            )}
          </svg>
          <span className="truncate">{entry.label}</span>
          {entry.value && <span className="font-medium text-fg tabular-nums">{entry.value}</span>}
        </li>
      ))}
    </ul>
  );
}
