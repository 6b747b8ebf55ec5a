import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

export interface RunFilterFormProps {
  action: string;
  filter?: string;
  /** MLflow's own message for a filter it rejected, and how filters look. */
  error: { message: string; hint?: string } | null;
  hidden: Record<string, string | undefined>;
}

/** MLflow search filter for runs (a GET form, so the filter lives in the URL and the back button works). */
export function RunFilterForm({ action, filter, error, hidden }: RunFilterFormProps) {
  return (
    <form action={action} className="space-y-3" aria-label="Filter runs">
      <div className="flex flex-wrap items-end gap-2">
        <Field
          id="run-filter"
          label="Filter"
          hint={
            <>
              MLflow syntax, e.g. <code>metrics.rmse &lt; 0.8 AND params.model = &apos;xgboost&apos;</code>
            </>
          }
          error={error?.message}
          className="min-w-[20rem] flex-1"
        >
          <Input
            name="filter"
            defaultValue={filter}
            placeholder="metrics.accuracy > 0.9 AND tags.team = 'retention'"
            className="font-mono"
          />
        </Field>
        {Object.entries(hidden).map(([name, value]) =>
          value ? <input key={name} type="hidden" name={name} value={value} /> : null,
        )}
        <Button type="submit">Apply filter</Button>
      </div>
      {error?.hint && (
        <Notice tone="warning" title="How MLflow filters look">
          {error.hint}
        </Notice>
      )}
    </form>
  );
}
