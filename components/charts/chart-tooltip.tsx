"use client";

import type { ReactNode } from "react";

export interface TooltipRow {
  key: string;
  label: string;
  color: string;
  value: string;
  swatch: "line" | "solid" | "outline";
}

/** Hover card content shared by the charts (mouse only; the text alternative covers other users). */
export function ChartTooltipCard({ heading, rows }: { heading: ReactNode; rows: TooltipRow[] }) {
  if (rows.length === 0) return null;
  return (
    <div className="min-w-40 rounded-md border border-line bg-surface-raised px-3 py-2 text-xs shadow-overlay">
      <p className="mb-1.5 font-medium text-fg">{heading}</p>
      <ul className="space-y-1">
        {rows.map((row) => (
          <li key={row.key} className="flex items-center gap-2">
            <svg viewBox="0 0 10 10" className="size-2.5 shrink-0">
              <rect
                width="10"
                height="10"
                rx="2"
                fill={row.swatch === "outline" ? "none" : row.color}
                stroke={row.color}
                strokeWidth={row.swatch === "outline" ? 2 : 0}
              />
            </svg>
            <span className="min-w-0 flex-1 truncate text-fg-muted">{row.label}</span>
            <span className="font-medium text-fg tabular-nums">{row.value}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
