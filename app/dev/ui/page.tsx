import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Database, Play, RotateCcw } from "lucide-react";
import { BarHistogram } from "@/components/charts/bar-histogram";
import { LineChartPanel } from "@/components/charts/line-chart-panel";
import { Sparkline } from "@/components/charts/sparkline";
import { AlertIndicator } from "@/components/layout/alert-indicator";
import { AppShell } from "@/components/layout/app-shell";
import { navigationFor } from "@/lib/navigation";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Code, CodeBlock, Mono } from "@/components/ui/code";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { DataTable, type DataTableColumn, type SortDirection } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Checkbox, Field, Input, Select, Textarea } from "@/components/ui/field";
import { FormErrorSummary } from "@/components/ui/form-error-summary";
import { KeyValueList } from "@/components/ui/key-value-list";
import { LoadingState, Skeleton } from "@/components/ui/loading-state";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { ProgressBar } from "@/components/ui/progress-bar";
import { RelativeTime } from "@/components/ui/relative-time";
import { Stat, StatGrid } from "@/components/ui/stat";
import { StatusBadge } from "@/components/ui/status-badge";
import { statusValues, type StatusDomain } from "@/components/ui/status";
import { SubmitButton } from "@/components/ui/submit-button";
import { Tabs } from "@/components/ui/tabs";
import { formatDuration } from "@/components/ui/format";
import { previewRollbackAction } from "./actions";
import { DevDemos } from "./dev-demos";
import { driftBins, latencySeries, lossSeries, SAMPLE_NOW, sampleRuns, type SampleRun } from "./sample-data";

export const metadata: Metadata = { title: "UI preview", robots: { index: false } };

const PAGE_PATH = "/dev/ui";

const sortableKeys = ["name", "duration", "auc", "started"] as const;
type SortKey = (typeof sortableKeys)[number];

function sortValue(run: SampleRun, key: SortKey): string | number {
  if (key === "name") return run.name;
  if (key === "duration") return run.durationMs ?? -1;
  if (key === "auc") return run.auc ?? -1;
  return run.startedAt;
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-xs font-semibold tracking-wide text-fg-subtle uppercase">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default async function UiPreviewPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (process.env.NODE_ENV === "production") notFound();
  const params = await searchParams;
  const sortKey = sortableKeys.find((key) => key === params.sort) ?? "started";
  const direction: SortDirection = params.dir === "asc" ? "asc" : "desc";
  const tab = params.tab === "charts" ? "charts" : "overview";
  const runs = [...sampleRuns].sort((a, b) => {
    const left = sortValue(a, sortKey);
    const right = sortValue(b, sortKey);
    const order = left < right ? -1 : left > right ? 1 : 0;
    return direction === "asc" ? order : -order;
  });

  const columns: DataTableColumn<SampleRun>[] = [
    { key: "name", header: "Run", isRowHeader: true, isSortable: true, cell: (run) => run.name },
    {
      key: "status",
      header: "Status",
      cell: (run) => <StatusBadge domain="run" status={run.status} size="sm" />,
    },
    { key: "kind", header: "Kind", hideBelow: "md", cell: (run) => run.kind },
    { key: "owner", header: "Owner", hideBelow: "lg", cell: (run) => run.owner },
    {
      key: "auc",
      header: "Val AUC",
      isSortable: true,
      firstSortDirection: "desc",
      value: (run) => run.auc,
      format: (value) => (value === null || value === undefined ? "—" : value.toFixed(4)),
    },
    {
      key: "trend",
      header: "Trend",
      hideBelow: "md",
      cell: (run) =>
        run.trend.length > 1 ? (
          <Sparkline values={run.trend} label={`Validation metric trend for ${run.name}`} />
        ) : (
          <span className="text-fg-subtle">—</span>
        ),
    },
    {
      key: "duration",
      header: "Duration",
      isSortable: true,
      firstSortDirection: "desc",
      value: (run) => run.durationMs,
      format: "duration",
    },
    {
      key: "started",
      header: "Started",
      isSortable: true,
      firstSortDirection: "desc",
      align: "end",
      cell: (run) => <RelativeTime date={run.startedAt} className="text-fg-muted" />,
    },
    {
      key: "id",
      header: <span className="sr-only">Copy id</span>,
      isInteractive: true,
      className: "w-10",
      cell: (run) => <CopyButton value={run.id} label={`Copy id of ${run.name}`} />,
    },
  ];

  const shellNav = navigationFor({ roles: ["DataScientist", "ModelRiskOfficer", "OnCall", "Admin"] }).map(
    (item) =>
      item.href === "/approvals"
        ? { ...item, badge: { count: 3, label: "open requests" } }
        : item.href === "/monitoring"
          ? { ...item, badge: { count: 2, label: "firing alerts", tone: "danger" as const } }
          : item,
  );
  const statusDomains: StatusDomain[] = ["run", "promotion", "alert", "deployment", "service"];

  return (
    <AppShell
      navItems={shellNav}
      environment="sandbox"
      user={{ name: "Priya Raman", email: "priya.raman@telco.example", roles: ["DataScientist", "OnCall"] }}
      alertSlot={<AlertIndicator count={2} />}
    >
      <PageHeader
        breadcrumbs={[
          { label: "Home", href: "/" },
          { label: "Development", href: PAGE_PATH },
          { label: "UI preview" },
        ]}
        title="Component preview"
        description="Every shared component with sample data. Development builds only."
        meta={
          <>
            <StatusBadge domain="run" status="RUNNING" size="sm" />
            <span>
              Owner <span className="font-medium text-fg">Priya Raman</span>
            </span>
            <span>
              Started <RelativeTime date={SAMPLE_NOW - 23 * 60_000} />
            </span>
          </>
        }
        actions={
          <>
            <ButtonLink
              href="/runs"
              variant="secondary"
              icon={<Database aria-hidden="true" className="size-4" />}
            >
              Datasets
            </ButtonLink>
            <Button variant="primary" icon={<Play aria-hidden="true" className="size-4" />}>
              Launch run
            </Button>
          </>
        }
      />

      <Tabs
        label="Preview sections"
        currentHref={tab === "charts" ? `${PAGE_PATH}?tab=charts` : PAGE_PATH}
        items={[
          { href: PAGE_PATH, label: "Overview" },
          { href: `${PAGE_PATH}?tab=charts`, label: "Charts", count: 3 },
        ]}
      />

      <div className="space-y-10">
        <Section id="stats" title="Stats">
          <StatGrid>
            <Stat
              label="Runs today"
              value="42"
              delta={{ label: "+8", direction: "up", sentiment: "neutral", context: "vs yesterday" }}
            />
            <Stat
              label="Success rate"
              value="94.1"
              unit="%"
              delta={{ label: "−2.3 pp", direction: "down", sentiment: "negative", context: "vs 7-day avg" }}
            />
            <Stat
              label="p95 latency"
              value="182"
              unit="ms"
              delta={{ label: "−14 ms", direction: "down", sentiment: "positive", context: "vs last hour" }}
            />
            <Stat label="Open approvals" value="3" hint="Oldest waiting 2 d" />
          </StatGrid>
        </Section>

        <Section id="table" title="Data table (URL-sorted, row links, empty state)">
          <Card
            title="Recent runs"
            description="Sorted through the URL; click a header."
            lastUpdated={
              <>
                Updated <RelativeTime date={SAMPLE_NOW - 90_000} />
              </>
            }
            actions={
              <ButtonLink href="/runs" size="sm">
                View all
              </ButtonLink>
            }
            padding="none"
          >
            <DataTable
              caption="Recent training runs"
              columns={columns}
              rows={runs}
              rowKey={(run) => run.id}
              rowHref={(run) => `/runs/${run.id}`}
              sort={{ key: sortKey, direction }}
              sortHref={(key, nextDirection) => `${PAGE_PATH}?sort=${key}&dir=${nextDirection}`}
            />
            <div className="border-t border-line px-3">
              <Pagination
                previousHref={undefined}
                nextHref={`${PAGE_PATH}?page_token=abc`}
                summary="Showing 1–6"
              />
            </div>
          </Card>
          <div className="grid gap-4 lg:grid-cols-2">
            <Card title="Compact table, scrolling with a pinned header" padding="none">
              <DataTable
                caption="Deployments"
                density="compact"
                maxHeightClassName="max-h-44"
                columns={[
                  {
                    key: "rev",
                    header: "Revision",
                    cell: (row: { rev: string; traffic: number; status: string }) => <Mono>{row.rev}</Mono>,
                  },
                  {
                    key: "status",
                    header: "Status",
                    cell: (row) => <StatusBadge domain="deployment" status={row.status} size="sm" />,
                  },
                  { key: "traffic", header: "Traffic", value: (row) => row.traffic, format: "percent" },
                ]}
                rows={[
                  { rev: "churn-xgb-predictor-00013", traffic: 0.1, status: "IN_PROGRESS" },
                  { rev: "churn-xgb-predictor-00012", traffic: 0.9, status: "SUCCEEDED" },
                  ...[11, 10, 9, 8, 7, 6].map((revision) => ({
                    rev: `churn-xgb-predictor-000${String(revision).padStart(2, "0")}`,
                    traffic: 0,
                    status: revision === 9 ? "FAILED" : "SUCCEEDED",
                  })),
                ]}
                rowKey={(row) => row.rev}
              />
            </Card>
            <Card title="Empty table" padding="none">
              <DataTable
                caption="Datasets"
                columns={[{ key: "name", header: "Name", cell: (row: { name: string }) => row.name }]}
                rows={[]}
                rowKey={(row) => row.name}
                empty={
                  <EmptyState
                    size="compact"
                    title="No datasets yet"
                    description="Register a Unity Catalog table to start."
                    action={
                      <ButtonLink href="/datasets/new" size="sm" variant="primary">
                        Register dataset
                      </ButtonLink>
                    }
                  />
                }
              />
            </Card>
          </div>
        </Section>

        <Section id="statuses" title="Status badges">
          <Card padding="md">
            <div className="space-y-3">
              {statusDomains.map((domain) => (
                <div key={domain} className="flex flex-wrap items-center gap-2">
                  <span className="w-24 text-xs font-medium text-fg-muted capitalize">{domain}</span>
                  {statusValues[domain].map((status) => (
                    <StatusBadge key={status} domain={domain} status={status} />
                  ))}
                </div>
              ))}
              <div className="flex flex-wrap items-center gap-2">
                <span className="w-24 text-xs font-medium text-fg-muted">Unknown</span>
                <StatusBadge domain="run" status="WAITING_FOR_RETRY" />
                <Badge tone="info">Info badge</Badge>
                <Badge>Neutral badge</Badge>
              </div>
            </div>
          </Card>
        </Section>

        <Section id="buttons" title="Buttons">
          <Card>
            <div className="flex flex-wrap items-center gap-2">
              <Button variant="primary">Primary</Button>
              <Button variant="secondary">Secondary</Button>
              <Button variant="danger" icon={<RotateCcw aria-hidden="true" className="size-4" />}>
                Roll back
              </Button>
              <Button variant="ghost">Ghost</Button>
              <Button variant="primary" isLoading loadingLabel="Saving">
                Saving
              </Button>
              <Button disabled>Disabled</Button>
              <Button size="sm">Small</Button>
              <Button size="lg" variant="primary">
                Large
              </Button>
              <ButtonLink href="/runs/new" variant="primary">
                Link as button
              </ButtonLink>
            </div>
          </Card>
        </Section>

        <Section id="states" title="Empty, error, loading and progress">
          <div className="grid gap-4 lg:grid-cols-3">
            <Card title="Empty">
              <EmptyState
                title="No alerts firing"
                description="Alerts appear here when a rule breaches for its full window."
                action={
                  <ButtonLink href="/monitoring/rules" size="sm">
                    Edit rules
                  </ButtonLink>
                }
              />
            </Card>
            <Card title="Error">
              <ErrorState
                message="MLflow did not answer in time. The run list may be stale."
                retryHref={PAGE_PATH}
                reference="req_7f3a9c"
              />
            </Card>
            <Card title="Loading">
              <LoadingState label="Loading runs" rows={4} />
              <div className="mt-4 flex gap-3 px-4">
                <Skeleton className="size-10 rounded-full" />
                <div className="flex-1 space-y-2">
                  <Skeleton className="h-3 w-1/2" />
                  <Skeleton className="h-3 w-3/4" />
                </div>
              </div>
            </Card>
          </div>
          <Card title="Progress">
            <div className="grid gap-5 md:grid-cols-3">
              <ProgressBar label="Canary traffic" value={10} valueText="10% of traffic" />
              <ProgressBar
                label="Training"
                value={3}
                max={5}
                valueText="Step 3 of 5: evaluating"
                tone="success"
              />
              <ProgressBar label="Submitting to Databricks" />
            </div>
          </Card>
        </Section>

        <Section id="notices" title="Notices, toasts and dialogs">
          <div className="grid gap-3 lg:grid-cols-2">
            <Notice tone="info" title="Sandbox environment">
              Cloud calls go to the local emulator. Nothing here touches production.
            </Notice>
            <Notice tone="success" title="Promotion applied">
              churn-xgb v13 now serves 100% of traffic.
            </Notice>
            <Notice
              tone="warning"
              title="Prometheus is degraded"
              action={
                <ButtonLink href={PAGE_PATH} size="sm">
                  Retry
                </ButtonLink>
              }
            >
              Latency panels may lag by up to 5 minutes.
            </Notice>
            <Notice tone="danger" title="Policy gate failed">
              Validation AUC 0.79 is below the required 0.80. <Link href="/approvals">Read the policy</Link>.
            </Notice>
          </div>
          <Card title="Interactive">
            <div className="flex flex-wrap items-center gap-2">
              <ConfirmDialog
                triggerLabel="Roll back…"
                triggerIcon={<RotateCcw aria-hidden="true" className="size-4" />}
                title="Roll back churn-xgb?"
                description={
                  <>
                    All traffic returns to revision <Mono>churn-xgb-predictor-00012</Mono> (model v12). The
                    canary stops immediately.
                  </>
                }
                confirmLabel="Roll back"
                pendingLabel="Rolling back…"
                action={previewRollbackAction}
                fields={{ serviceName: "churn-xgb", outcome: "success" }}
              />
              <ConfirmDialog
                triggerLabel="Roll back (fails)…"
                triggerVariant="secondary"
                title="Roll back churn-xgb?"
                description="This preview returns an error so you can see how it is shown."
                confirmLabel="Roll back"
                pendingLabel="Rolling back…"
                action={previewRollbackAction}
                fields={{ serviceName: "churn-xgb", outcome: "error" }}
                confirmationText="churn-xgb"
              />
              <DevDemos />
            </div>
          </Card>
        </Section>

        <Section id="forms" title="Forms">
          <Card title="Launch a training run" description="Field wires label, hint and error to the control.">
            <form className="max-w-xl space-y-4">
              <FormErrorSummary
                isFocusedOnShow={false}
                fieldErrors={[{ fieldId: "run-name", message: "Enter a run name of 3–64 characters" }]}
              />
              <Field
                id="run-name"
                label="Run name"
                hint="Letters, digits and dashes."
                error="Enter a run name of 3–64 characters"
                isRequired
              >
                <Input name="runName" defaultValue="x" />
              </Field>
              <Field id="dataset" label="Dataset" isRequired>
                <Select
                  name="dataset"
                  placeholder="Choose a dataset…"
                  options={[
                    { value: "main.telco.churn_v3", label: "main.telco.churn_v3" },
                    { value: "main.telco.arpu_monthly", label: "main.telco.arpu_monthly" },
                  ]}
                />
              </Field>
              <Field id="notes" label="Notes" hint="Shown to reviewers.">
                <Textarea name="notes" rows={3} placeholder="What changed since the last run?" />
              </Field>
              <Checkbox
                id="register"
                name="register"
                label="Register the model when the run succeeds"
                description="Creates a new version in Unity Catalog."
                defaultChecked
              />
              <div className="flex gap-2">
                <SubmitButton>Launch run</SubmitButton>
                <Button variant="ghost">Cancel</Button>
              </div>
            </form>
          </Card>
        </Section>

        <Section id="facts" title="Key-value list and code">
          <div className="grid gap-4 lg:grid-cols-2">
            <Card title="Run details">
              <KeyValueList
                items={[
                  { label: "Run id", value: "8f21c0d4e5b64a1f9c3d2e1f0a9b8c7d", isMono: true },
                  { label: "Experiment", value: "/Shared/churn" },
                  { label: "Duration", value: formatDuration(1_384_000) },
                  {
                    label: "Artifact URI",
                    value: "dbfs:/databricks/mlflow-tracking/42/8f21c0/artifacts",
                    isMono: true,
                  },
                  { label: "Status", value: <StatusBadge domain="run" status="RUNNING" size="sm" isLive /> },
                ]}
              />
            </Card>
            <Card title="Grid layout and code">
              <KeyValueList
                layout="grid"
                items={[
                  { label: "Namespace", value: "models-prod" },
                  { label: "Service", value: "churn-xgb" },
                  { label: "Readiness", value: <StatusBadge domain="service" status="Ready" size="sm" /> },
                ]}
              />
              <p className="mt-4 text-sm text-fg-muted">
                Metric key <Code>val_auc</Code> from query:
              </p>
              <CodeBlock label="PromQL query" className="mt-2">
                {`histogram_quantile(0.95,\n  sum by (le) (rate(revision_request_latencies_bucket{service="churn-xgb"}[5m])))`}
              </CodeBlock>
            </Card>
          </div>
        </Section>

        <Section id="charts" title="Charts">
          <div className="grid gap-4 xl:grid-cols-2">
            <LineChartPanel
              title="Loss by step"
              description="Log scale; champion shown for comparison."
              series={lossSeries()}
              xKind="step"
              isLogScale
            />
            <LineChartPanel
              title="Request latency"
              series={latencySeries()}
              xKind="time"
              unit="ms"
              referenceLines={[{ y: 250, label: "SLO 250 ms" }]}
              lastUpdated={
                <>
                  Updated <RelativeTime date={SAMPLE_NOW} />
                </>
              }
            />
            <BarHistogram
              title="Drift: tenure_months"
              description="PSI 0.21 (moderate)."
              bins={driftBins()}
              referenceLabel="Training"
              currentLabel="Last 24 h"
            />
            <LineChartPanel
              title="Error rate"
              series={[]}
              xKind="time"
              unit="share"
              emptyMessage="No requests in the last hour."
            />
          </div>
        </Section>
      </div>
    </AppShell>
  );
}
