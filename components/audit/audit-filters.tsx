import { Field, Input, Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { AuditFilters } from "@/lib/validation/audit";

/** A plain GET form: filters live in the URL, so a filtered view can be shared and exported as is. */
export function AuditFiltersForm({ filters, actions }: { filters: AuditFilters; actions: string[] }) {
  return (
    <form
      method="get"
      action="/audit"
      className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6"
      aria-label="Filter the audit log"
    >
      <Field id="audit-actor" label="Actor">
        <Input id="audit-actor" name="actor" defaultValue={filters.actor} placeholder="Name or object id" />
      </Field>
      <Field id="audit-action" label="Action">
        <Select
          id="audit-action"
          name="action"
          defaultValue={filters.action ?? ""}
          options={[{ value: "", label: "Any" }, ...actions.map((a) => ({ value: a, label: a }))]}
        />
      </Field>
      <Field id="audit-entity-type" label="Entity type">
        <Input
          id="audit-entity-type"
          name="entityType"
          defaultValue={filters.entityType}
          placeholder="PromotionRequest"
        />
      </Field>
      <Field id="audit-entity-id" label="Entity id">
        <Input id="audit-entity-id" name="entityId" defaultValue={filters.entityId} />
      </Field>
      <Field id="audit-from" label="From (UTC)">
        <Input id="audit-from" name="from" type="date" defaultValue={filters.from} />
      </Field>
      <Field id="audit-to" label="To (UTC)">
        <Input id="audit-to" name="to" type="date" defaultValue={filters.to} />
      </Field>
      <div className="sm:col-span-3 lg:col-span-6">
        <SubmitButton variant="secondary">Apply filters</SubmitButton>
      </div>
    </form>
  );
}
