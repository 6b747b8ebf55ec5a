import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { formatDateTime } from "@/components/ui/format";

export interface DriftViewFormProps {
  action: string;
  range: string;
  ranges: readonly string[];
  windows: Array<{ start: string; isDrifted: boolean }>;
  selectedWindow?: string;
  features: string[];
  selectedFeature?: string;
  /** The person's zone for the window times (lib/time-zone.ts). */
  timeZone: string;
}

/** Range, window and feature pickers as a plain GET form: the URL holds the view, no script needed. */
/** "Last hour", "Last 6 hours": words, not "Last 6h", which a narrow select clipped to "Last 6f". */
export function describeRange(range: string): string {
  const hours = /^(\d+)h$/.exec(range)?.[1];
  if (!hours) return `Last ${range}`;
  return hours === "1" ? "Last hour" : `Last ${hours} hours`;
}

export function DriftViewForm({
  action,
  range,
  ranges,
  windows,
  selectedWindow,
  features,
  selectedFeature,
  timeZone,
}: DriftViewFormProps) {
  return (
    <form action={action} method="get" className="flex flex-wrap items-end gap-3" aria-label="Drift view">
      <Field id="drift-range" label="Range" className="w-40">
        <Select
          name="range"
          defaultValue={range}
          options={ranges.map((value) => ({ value, label: describeRange(value) }))}
        />
      </Field>
      <Field id="drift-window" label="Window" className="w-72">
        <Select
          name="window"
          defaultValue={selectedWindow}
          options={windows.map((window) => ({
            value: window.start,
            label: `${formatDateTime(window.start, { timeZone })}${window.isDrifted ? " · drifted" : ""}`,
          }))}
        />
      </Field>
      <Field id="drift-feature" label="Feature" className="w-56">
        <Select
          name="feature"
          defaultValue={selectedFeature}
          options={features.map((name) => ({ value: name, label: name }))}
        />
      </Field>
      <Button type="submit" variant="secondary">
        Show
      </Button>
    </form>
  );
}
