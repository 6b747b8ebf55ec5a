import Link from "next/link";
import { ArrowDownRight, ArrowUpLeft, FileText } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { DataTable, type DataTableColumn } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { formatInteger, formatNumber, formatPercent } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { Stat } from "@/components/ui/stat";
import { StatusBadge } from "@/components/ui/status-badge";
import type { DatasetsReader } from "@/lib/dal/datasets";
import type { Loaded } from "./load";
import { SectionError } from "./section-error";

// The slow parts of the table page. The page starts each read (through lib/dal) and hands its
// promise down; each section is an async server component awaiting it inside its own Suspense
// boundary, so it streams in when ready, and an expected failure (AppError) renders in place.

type Read<K extends keyof DatasetsReader> = Promise<Loaded<Awaited<ReturnType<DatasetsReader[K]>>>>;
/** What the table page reads after its first paint, each started once and drawn where it is needed. */
export interface TableReads {
  rowCount: Read<"getRowCount">;
  sampleRows: Read<"getSampleRows">;
  quality: Read<"getLatestQuality">;
  lineage: Read<"getLineage">;
  usage: Read<"getUsage">;
}

type Quality = Awaited<ReturnType<DatasetsReader["getLatestQuality"]>>;
type Expectation = NonNullable<Quality["latest"]>["expectations"][number];
type Lineage = Awaited<ReturnType<DatasetsReader["getLineage"]>>;
type Usage = Awaited<ReturnType<DatasetsReader["getUsage"]>>;

export async function RowCountStat({ rowCount }: Pick<TableReads, "rowCount">) {
  const result = await rowCount;
  // The stat has room for the first sentence only; the full advice is in the title.
  if (!result.ok)
    return (
      <Stat
        label="Rows"
        value="—"
        hint={
          <span className="text-danger" title={result.message}>
            {result.message.split(/(?<=\.) /)[0]}
          </span>
        }
      />
    );
  return (
    <Stat label="Rows" value={formatInteger(result.value.rowCount)} hint="COUNT(*) on the SQL warehouse" />
  );
}

export async function QualityStat({ quality }: Pick<TableReads, "quality">) {
  const result = await quality;
  if (!result.ok)
    return (
      <Stat label="Data quality" value="—" hint={<span className="text-danger">Results unavailable</span>} />
    );
  const latest = result.value.latest;
  if (!latest) return <Stat label="Data quality" value="—" hint="No validation recorded" />;
  const failed = latest.total - latest.passed;
  return (
    <Stat
      label="Data quality"
      value={`${latest.passed}/${latest.total}`}
      unit="passed"
      hint={
        <span className={failed ? "text-danger" : "text-success"}>
          {failed ? `${failed} failing` : "All expectations met"} · <RelativeTime date={latest.checkedAt} />
        </span>
      }
    />
  );
}

const formatCell = (value: string | number | boolean | null) =>
  value === null ? (
    <span className="text-fg-subtle italic">null</span>
  ) : typeof value === "number" ? (
    String(value)
  ) : (
    String(value)
  );
const numericTypes = new Set(["BYTE", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE", "DECIMAL"]);

export async function SampleRowsSection({
  sampleRows,
  fullName,
}: Pick<TableReads, "sampleRows"> & { fullName: string }) {
  const result = await sampleRows;
  if (!result.ok) return <SectionError title="Sample rows unavailable" message={result.message} />;
  const { columns, rows } = result.value;
  if (!rows.length)
    return <EmptyState size="compact" title="The table is empty" description="SELECT * returned no rows." />;
  const tableColumns: DataTableColumn<{ index: number; cells: (string | number | boolean | null)[] }>[] =
    columns.map((column, i) => ({
      key: column.name,
      header: <span className="font-mono">{column.name}</span>,
      // Long values are cut to a column width (the whole value in the tooltip), so 20 rows of wide
      // strings do not make a table three times its card.
      cell: (row) => {
        const text = formatCell(row.cells[i]);
        return typeof text === "string" && text.length > 24 ? (
          <span title={text} className="block max-w-[14rem] truncate">
            {text}
          </span>
        ) : (
          text
        );
      },
      align: numericTypes.has(column.typeName) ? "end" : "start",
      className: "font-mono text-xs",
    }));
  return (
    <DataTable
      caption={`First ${rows.length} rows of ${fullName}`}
      columns={[
        {
          key: "#",
          header: "#",
          cell: (row) => row.index + 1,
          align: "end",
          className: "text-fg-subtle text-xs w-10",
        },
        ...tableColumns,
      ]}
      rows={rows.map((cells, index) => ({ index, cells }))}
      rowKey={(row) => String(row.index)}
      density="compact"
      maxHeightClassName="max-h-[26rem]"
      isWide
    />
  );
}

/** expect_column_values_to_not_be_null → "column values to not be null". */
const describeExpectation = (type: string) => type.replace(/^expect_/, "").replaceAll("_", " ");

export async function QualitySection({ quality }: Pick<TableReads, "quality">) {
  const result = await quality;
  if (!result.ok) return <SectionError title="Data-quality results unavailable" message={result.message} />;
  const { latest, recentRuns, resultsTable } = result.value;
  if (!latest) {
    return (
      <EmptyState
        size="compact"
        title="No validation recorded"
        description={
          <>
            No expectation results for this table in <code className="font-mono text-xs">{resultsTable}</code>
            . Add it to a validation suite to see checks here.
          </>
        }
      />
    );
  }
  const columns: DataTableColumn<Expectation>[] = [
    {
      key: "result",
      header: "Result",
      cell: (e) => (
        <Badge tone={e.isSuccess ? "success" : "danger"} hasDot size="sm">
          {e.isSuccess ? "Passed" : "Failed"}
        </Badge>
      ),
    },
    {
      key: "expectation",
      header: "Expectation",
      cell: (e) => <span className="font-mono text-xs">{describeExpectation(e.expectationType)}</span>,
      isRowHeader: true,
      canWrap: true,
    },
    {
      key: "column",
      header: "Column",
      cell: (e) =>
        e.column ? (
          <span className="font-mono text-xs">{e.column}</span>
        ) : (
          <span className="text-fg-subtle">table</span>
        ),
    },
    {
      key: "observed",
      header: "Observed",
      value: (e) => e.observedValue,
      format: (v) => (v === null || v === undefined ? "—" : formatNumber(v, 4)),
    },
    {
      key: "unexpected",
      header: "Unexpected",
      value: (e) => e.unexpectedPercent,
      format: (v) => (v === null || v === undefined ? "—" : formatPercent(v / 100, 2)),
    },
    { key: "elements", header: "Checked", value: (e) => e.elementCount, format: "integer", hideBelow: "md" },
  ];
  const failed = latest.total - latest.passed;
  return (
    <div>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-line px-4 py-2.5 text-xs text-fg-muted">
        <Badge tone={failed ? "danger" : "success"} hasDot>
          {failed ? `${failed} of ${latest.total} failed` : `All ${latest.total} passed`}
        </Badge>
        <span>
          Run <code className="font-mono">{latest.runId}</code> · checked{" "}
          <RelativeTime date={latest.checkedAt} />
        </span>
      </div>
      <DataTable
        caption="Expectations of the latest validation run, failures first"
        columns={columns}
        rows={latest.expectations}
        rowKey={(e) => `${e.expectationType}:${e.column ?? ""}`}
        density="compact"
      />
      <div className="border-t border-line px-4 py-3">
        <p className="mb-2 text-xs font-medium text-fg-muted">Recent validation runs (newest first)</p>
        <ol className="flex flex-wrap gap-1" aria-label="Recent validation runs">
          {recentRuns.map((run) => {
            const isPassing = run.passed === run.total;
            return (
              <li
                key={run.runId}
                title={`${run.checkedAt.slice(0, 10)}: ${run.passed}/${run.total} passed`}
                className={`flex h-6 min-w-10 items-center justify-center rounded px-1 text-2xs font-medium tabular-nums ${isPassing ? "bg-success-soft text-success" : "bg-danger-soft text-danger"}`}
              >
                <span className="sr-only">{run.checkedAt.slice(0, 10)}: </span>
                {run.passed}/{run.total}
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}

const viaLabel = (via: Lineage["upstream"]["tables"][number]["via"]) =>
  via.map((v) => `${v.kind} ${v.id}`).join(", ");

function LineageSide({
  label,
  icon,
  side,
  emptyText,
}: {
  label: string;
  icon: React.ReactNode;
  side: Lineage["upstream"];
  emptyText: string;
}) {
  const count = side.tables.length + side.files.length;
  return (
    <div className="min-w-0">
      <h3 className="mb-2 flex items-center gap-1.5 text-xs font-semibold text-fg-muted">
        {icon}
        {label} <span className="font-normal">({count})</span>
      </h3>
      {count === 0 ? (
        <p className="text-sm text-fg-subtle">{emptyText}</p>
      ) : (
        <ul className="space-y-1.5">
          {side.tables.map((table) => (
            <li key={table.fullName} className="min-w-0">
              <Link
                href={table.href}
                className="font-mono text-xs break-all text-accent-text hover:underline"
              >
                {table.fullName}
              </Link>
              <p className="text-2xs text-fg-subtle">
                {table.tableType?.toLowerCase().replaceAll("_", " ") ?? "table"}
                {table.via.length > 0 && ` · via ${viaLabel(table.via)}`}
              </p>
            </li>
          ))}
          {side.files.map((file) => (
            <li key={file.path} className="min-w-0">
              <span className="flex items-start gap-1 font-mono text-xs break-all text-fg">
                <FileText aria-hidden="true" className="mt-0.5 size-3 shrink-0 text-fg-subtle" />
                {file.path}
              </span>
              <p className="text-2xs text-fg-subtle">
                files{file.via.length > 0 && ` · via ${viaLabel(file.via)}`}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export async function LineageSection({ lineage }: Pick<TableReads, "lineage">) {
  const result = await lineage;
  if (!result.ok) return <SectionError title="Lineage unavailable" message={result.message} />;
  return (
    <div className="space-y-4">
      <LineageSide
        label="Upstream"
        icon={<ArrowUpLeft aria-hidden="true" className="size-3.5" />}
        side={result.value.upstream}
        emptyText="No recorded sources."
      />
      <LineageSide
        label="Downstream"
        icon={<ArrowDownRight aria-hidden="true" className="size-3.5" />}
        side={result.value.downstream}
        emptyText="Nothing reads from it yet."
      />
    </div>
  );
}

function UsageLists({ usage }: { usage: Usage }) {
  if (!usage.runs.length) {
    return (
      <EmptyState
        size="compact"
        title="Not used for training yet"
        description="No Switchboard training run has used this table."
      />
    );
  }
  return (
    <div className="space-y-4">
      <div>
        <h3 className="mb-2 text-xs font-semibold text-fg-muted">Training runs ({usage.runs.length})</h3>
        <ul className="space-y-2">
          {usage.runs.map((run) => (
            <li key={run.id} className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
              <span className="min-w-0">
                <Link
                  href={`/runs/${run.id}`}
                  className="text-sm font-medium text-accent-text hover:underline"
                >
                  {run.runName}
                </Link>
                <span className="block text-2xs text-fg-subtle">
                  {run.modelFamily} · {run.launchedBy} · <RelativeTime date={run.createdAt} />
                </span>
              </span>
              <StatusBadge domain="run" status={run.status} size="sm" />
            </li>
          ))}
        </ul>
      </div>
      <div>
        <h3 className="mb-2 text-xs font-semibold text-fg-muted">
          Model versions ({usage.modelVersions.length})
        </h3>
        {usage.registryError && (
          <Notice tone="warning" className="mb-2">
            {usage.registryError}
          </Notice>
        )}
        {usage.modelVersions.length === 0 && !usage.registryError ? (
          <p className="text-sm text-fg-subtle">No model version registered from these runs.</p>
        ) : (
          <ul className="space-y-2">
            {usage.modelVersions.map((v) => (
              <li
                key={`${v.name}/${v.version}`}
                className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1"
              >
                <span className="min-w-0">
                  <Link
                    href={`/models/${encodeURIComponent(v.name)}`}
                    className="text-sm font-medium break-all text-accent-text hover:underline"
                  >
                    {v.name} v{v.version}
                  </Link>
                  <span className="block text-2xs text-fg-subtle">
                    from{" "}
                    <Link href={`/runs/${v.trainingRunId}`} className="hover:underline">
                      {v.trainingRunName}
                    </Link>
                    {v.stage !== "None" && ` · ${v.stage}`}
                    {v.aliases.length > 0 && ` · @${v.aliases.join(", @")}`}
                  </span>
                </span>
                {v.promotion && (
                  <Link
                    href={`/approvals/${v.promotion.id}`}
                    className="inline-flex"
                    aria-label={`Promotion to ${v.promotion.target}: ${v.promotion.status.toLowerCase()}`}
                  >
                    <StatusBadge domain="promotion" status={v.promotion.status} size="sm" />
                  </Link>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

export async function UsageSection({ usage }: Pick<TableReads, "usage">) {
  const result = await usage;
  if (!result.ok) return <SectionError title="Training usage unavailable" message={result.message} />;
  return <UsageLists usage={result.value} />;
}
