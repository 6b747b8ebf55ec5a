import { Columns3 } from "lucide-react";
import { Button } from "@/components/ui/button";

export interface ColumnPickerProps {
  action: string;
  paramKeys: string[];
  metricKeys: string[];
  selectedParams: string[];
  selectedMetrics: string[];
  hidden: Record<string, string | undefined>;
}

/** Param and metric columns to show, chosen with checkboxes and kept in the URL (params=…&metrics=…). */
export function ColumnPicker({
  action,
  paramKeys,
  metricKeys,
  selectedParams,
  selectedMetrics,
  hidden,
}: ColumnPickerProps) {
  return (
    <details className="relative">
      <summary className="flex cursor-pointer items-center gap-1.5 rounded-md border border-line px-2.5 py-1 text-sm">
        <Columns3 aria-hidden="true" className="size-4" />
        Columns
      </summary>
      <form
        action={action}
        className="absolute right-0 z-20 mt-2 w-80 space-y-3 rounded-md border border-line bg-surface p-3 shadow-lg"
      >
        {Object.entries(hidden).map(([name, value]) =>
          value ? <input key={name} type="hidden" name={name} value={value} /> : null,
        )}
        <CheckboxGroup legend="Parameters" name="params" keys={paramKeys} selected={selectedParams} />
        <CheckboxGroup legend="Metrics" name="metrics" keys={metricKeys} selected={selectedMetrics} />
        <Button type="submit" size="sm">
          Show columns
        </Button>
      </form>
    </details>
  );
}

function CheckboxGroup({
  legend,
  name,
  keys,
  selected,
}: {
  legend: string;
  name: string;
  keys: string[];
  selected: string[];
}) {
  return (
    <fieldset>
      <legend className="mb-1 text-xs font-medium text-fg-muted">{legend}</legend>
      {keys.length === 0 && <p className="text-xs text-fg-muted">None on this page.</p>}
      <div className="max-h-40 space-y-1 overflow-y-auto">
        {keys.map((key) => (
          <label key={key} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name={name} value={key} defaultChecked={selected.includes(key)} />
            <span className="font-mono text-xs">{key}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
