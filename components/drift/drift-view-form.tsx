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
}

/** Range, window and feature pickers as a plain GET form: the URL holds the view, no script needed. */
export function DriftViewForm({ action, range, ranges, windows, selectedWindow, features, selectedFeature }: DriftViewFormProps) {
  return (
    <form action={action} method="get" className="flex flex-wrap items-end gap-3" aria-label="Drift view">
      <Field id="drift-range" label="Range" className="w-28">
        <Select name="range" defaultValue={range} options={ranges.map((value) => ({ value, label: `Last ${value}` }))} />
      </Field>
      <Field id="drift-window" label="Window" className="w-64">
        <Select
          name="window"
          defaultValue={selectedWindow}
          options={windows.map((window) => ({ value: window.start, label: `${formatDateTime(window.start)} UTC${window.isDrifted ? " · drifted" : ""}` }))}
        />
      </Field>
      <Field id="drift-feature" label="Feature" className="w-56">
        <Select name="feature" defaultValue={selectedFeature} options={features.map((name) => ({ value: name, label: name }))} />
      </Field>
      <Button type="submit" variant="secondary">
        Show
      </Button>
    </form>
  );
}
