import Link from "next/link";
import { ArrowDown, ArrowUp, ChevronsUpDown } from "lucide-react";
import type { ReactNode } from "react";
import { cx } from "./cx";
import { EmptyState } from "./empty-state";
import {
  formatBytes,
  formatCompactNumber,
  formatDuration,
  formatInteger,
  formatNumber,
  formatPercent,
} from "./format";

export type SortDirection = "asc" | "desc";
export interface SortState {
  key: string;
  direction: SortDirection;
}

/** Preset formats for numeric cells; or pass a function. */
export type NumericFormat = "number" | "integer" | "compact" | "percent" | "duration" | "bytes";

const numericFormatters: Record<NumericFormat, (value: number | null | undefined) => string> = {
  number: (value) => formatNumber(value),
  integer: formatInteger,
  compact: formatCompactNumber,
  percent: (value) => formatPercent(value),
  duration: formatDuration,
  bytes: formatBytes,
};

export interface DataTableColumn<Row> {
  /** Stable id; also the sort key passed to `sortHref`. */
  key: string;
  header: ReactNode;
  /** Render the cell. Use this or `value`. */
  cell?: (row: Row) => ReactNode;
  /** A number to format with `format`: the cell is right-aligned with tabular figures. */
  value?: (row: Row) => number | null | undefined;
  format?: NumericFormat | ((value: number | null | undefined) => string);
  align?: "start" | "center" | "end";
  isSortable?: boolean;
  /** Direction of the first click on this header (numbers usually want "desc"). Default "asc". */
  firstSortDirection?: SortDirection;
  /** The cell that names the row (a th scope=row); holds the row link. Defaults to the first column. */
  isRowHeader?: boolean;
  /** The cell holds its own buttons or links, which must sit above the whole-row link. */
  isInteractive?: boolean;
  /** Let long text wrap (descriptions, messages). Other cells stay on one line and the table scrolls sideways. */
  canWrap?: boolean;
  /** Hide on narrow screens; keep the identifying column always visible. */
  hideBelow?: "sm" | "md" | "lg";
  /** Width and other per-column classes, e.g. "w-40" (no inline styles: strict CSP). */
  className?: string;
}

export interface DataTableProps<Row> {
  /** Describes the table for screen readers ("Training runs, newest first"). */
  caption: string;
  isCaptionVisible?: boolean;
  columns: DataTableColumn<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  /** Makes the whole row a link (through the row-header cell, so it is one tab stop per row). */
  rowHref?: (row: Row) => string | undefined;
  /** Current sort, from the URL. */
  sort?: SortState;
  /** URL for sorting by `key` in `direction`; the page owns the query string. Required for sortable columns. */
  sortHref?: (key: string, direction: SortDirection) => string;
  density?: "compact" | "comfortable";
  /** Scroll inside the table with the header pinned, e.g. "max-h-[28rem]"; the box becomes a focusable region. */
  maxHeightClassName?: string;
  /**
   * For tables wider than their card: the first column stays put while the rest scroll sideways,
   * and the box becomes a focusable region so keyboard users can scroll it (WCAG 2.1.1).
   */
  isWide?: boolean;
  /** Shown when `rows` is empty (defaults to a short "No results"). */
  empty?: ReactNode;
  className?: string;
}

const hideClass = {
  sm: "hidden sm:table-cell",
  md: "hidden md:table-cell",
  lg: "hidden lg:table-cell",
} as const;

function alignmentOf<Row>(column: DataTableColumn<Row>): "start" | "center" | "end" {
  return column.align ?? (column.value ? "end" : "start");
}

const alignClass = { start: "text-left", center: "text-center", end: "text-right" } as const;

function renderCell<Row>(column: DataTableColumn<Row>, row: Row): ReactNode {
  if (column.cell) return column.cell(row);
  if (column.value) {
    const value = column.value(row);
    const format = column.format ?? "number";
    return typeof format === "function" ? format(value) : numericFormatters[format](value);
  }
  return null;
}

function nextSortDirection<Row>(column: DataTableColumn<Row>, sort: SortState | undefined): SortDirection {
  if (sort?.key === column.key) return sort.direction === "asc" ? "desc" : "asc";
  return column.firstSortDirection ?? "asc";
}

/** A semantic table for server-rendered lists, sorted and paged through the URL. */
export function DataTable<Row>({
  caption,
  isCaptionVisible = false,
  columns,
  rows,
  rowKey,
  rowHref,
  sort,
  sortHref,
  density = "comfortable",
  maxHeightClassName,
  isWide = false,
  empty,
  className,
}: DataTableProps<Row>) {
  const rowHeaderIndex = Math.max(
    0,
    columns.findIndex((column) => column.isRowHeader),
  );
  const cellPadding = density === "compact" ? "px-3 py-1.5" : "px-3 py-2";
  const stickyClass = (index: number, background: string) =>
    isWide && index === 0 ? cx("sticky left-0 z-10", background) : undefined;
  return (
    // Any table can overflow a narrow card, and a box that scrolls must be reachable by keyboard
    // (WCAG 2.1.1) and named once focused: every table's box is a named, focusable region.
    <div
      role="region"
      aria-label={caption}
      tabIndex={0}
      className={cx("overflow-auto", maxHeightClassName, className)}
    >
      <table className="w-full border-separate border-spacing-0 text-sm">
        <caption className={isCaptionVisible ? "px-3 py-2 text-left text-xs text-fg-muted" : "sr-only"}>
          {caption}
        </caption>
        <thead>
          <tr>
            {columns.map((column, index) => {
              const align = alignmentOf(column);
              const isSorted = sort?.key === column.key;
              const canSort = column.isSortable && sortHref;
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={isSorted ? (sort.direction === "asc" ? "ascending" : "descending") : undefined}
                  className={cx(
                    "sticky top-0 z-20 border-b border-line bg-surface-muted text-xs font-medium whitespace-nowrap text-fg-muted",
                    canSort ? "px-1.5 py-1" : density === "compact" ? "px-3 py-1.5" : "px-3 py-2",
                    alignClass[align],
                    column.hideBelow && hideClass[column.hideBelow],
                    column.className,
                    isWide && index === 0 && "left-0 z-30",
                  )}
                >
                  {canSort ? (
                    <Link
                      href={sortHref(column.key, nextSortDirection(column, sort))}
                      scroll={false}
                      className={cx(
                        "inline-flex items-center gap-1 rounded-sm px-1.5 py-1 hover:bg-line hover:text-fg",
                        isSorted && "text-fg",
                        align === "end" && "flex-row-reverse",
                      )}
                    >
                      {column.header}
                      {isSorted ? (
                        sort.direction === "asc" ? (
                          <ArrowUp aria-hidden="true" className="size-3.5" />
                        ) : (
                          <ArrowDown aria-hidden="true" className="size-3.5" />
                        )
                      ) : (
                        <ChevronsUpDown aria-hidden="true" className="size-3.5 opacity-50" />
                      )}
                      <span className="sr-only">
                        , sort {nextSortDirection(column, sort) === "asc" ? "ascending" : "descending"}
                      </span>
                    </Link>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="border-b border-line">
                {empty ?? <EmptyState size="compact" title="No results" />}
              </td>
            </tr>
          ) : (
            rows.map((row) => {
              const href = rowHref?.(row);
              return (
                <tr key={rowKey(row)} className={cx("group", href && "relative hover:bg-surface-muted")}>
                  {columns.map((column, index) => {
                    const align = alignmentOf(column);
                    const isRowHeader = index === rowHeaderIndex;
                    const content = renderCell(column, row);
                    const cellClass = cx(
                      "border-b border-line align-middle text-fg group-last:border-b-0",
                      cellPadding,
                      alignClass[align],
                      column.value && "tabular-nums",
                      column.canWrap ? "min-w-48" : "whitespace-nowrap",
                      column.isInteractive && "relative z-10",
                      column.hideBelow && hideClass[column.hideBelow],
                      column.className,
                      stickyClass(index, "bg-surface group-hover:bg-surface-muted"),
                    );
                    if (!isRowHeader) {
                      return (
                        <td key={column.key} className={cellClass}>
                          {content}
                        </td>
                      );
                    }
                    return (
                      <th key={column.key} scope="row" className={cx(cellClass, "font-medium")}>
                        {href ? (
                          <Link
                            href={href}
                            data-row-link=""
                            className="text-fg outline-none after:absolute after:inset-0 after:content-[''] hover:underline focus-visible:after:outline-2 focus-visible:after:-outline-offset-2 focus-visible:after:outline-focus"
                          >
                            {content}
                          </Link>
                        ) : (
                          content
                        )}
                      </th>
                    );
                  })}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
