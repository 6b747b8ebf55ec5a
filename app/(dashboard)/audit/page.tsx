import type { Metadata } from "next";
import { AuditFiltersForm } from "@/components/audit/audit-filters";
import { VerifyChainButton } from "@/components/audit/verify-chain-button";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Mono } from "@/components/ui/code";
import { DataTable } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { requirePageUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { listAuditActions, listAuditEvents, type AuditEventDto } from "@/lib/dal/audit";
import { auditEventsQuery } from "@/lib/validation/audit";

export const metadata: Metadata = { title: "Audit" };

const filterKeys = ["actor", "action", "entityType", "entityId", "from", "to"] as const;

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePageUser("audit:read");
  const raw = await searchParams;
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v));
  const parsed = auditEventsQuery.safeParse(cleaned);
  const query = parsed.success ? parsed.data : auditEventsQuery.parse({});
  const [page, actions] = await Promise.all([listAuditEvents(user, query), listAuditActions(user)]);
  const filterParams = new URLSearchParams(filterKeys.flatMap((k) => (query[k] ? [[k, query[k]!]] : [])));
  const withParams = (path: string, extra: Record<string, string>) =>
    `${path}?${new URLSearchParams([...filterParams, ...Object.entries(extra)])}`;

  return (
    <>
      <PageHeader
        title="Audit"
        description="Every request, comment, gate result, decision, transition and rollout, append-only and hash-chained."
        actions={
          <div className="flex gap-2">
            <ButtonLink
              variant="secondary"
              href={withParams("/api/audit/export", { format: "csv" })}
              prefetch={false}
            >
              Export CSV
            </ButtonLink>
            <ButtonLink
              variant="secondary"
              href={withParams("/api/audit/export", { format: "json" })}
              prefetch={false}
            >
              Export JSON
            </ButtonLink>
          </div>
        }
      />
      <div className="space-y-6">
        <Card title="Integrity">
          <p className="mb-3 max-w-3xl text-sm text-fg-muted">
            Verifying recomputes every hash and checks the chain against its checkpoints, which the worker
            writes every {getConfig().AUDIT_CHECKPOINT_INTERVAL_MINUTES} minutes to a write-once store outside
            the database (see the runbook).
          </p>
          <VerifyChainButton />
        </Card>
        <Card title="Filters">
          <AuditFiltersForm filters={query} actions={actions} />
        </Card>
        <DataTable<AuditEventDto>
          caption="Audit events, newest first"
          rows={page.events}
          rowKey={(e) => e.seq}
          density="compact"
          isWide
          empty="No audit events match these filters."
          columns={[
            { key: "seq", header: "#", isRowHeader: true, cell: (e) => e.seq },
            { key: "at", header: "When", cell: (e) => <DateTime value={e.occurredAt} withSeconds /> },
            { key: "actor", header: "Actor", cell: (e) => <span title={e.actorOid}>{e.actorName}</span> },
            { key: "action", header: "Action", cell: (e) => e.action },
            {
              key: "entity",
              header: "Entity",
              cell: (e) => <Mono>{`${e.entityType}/${e.entityId.slice(0, 8)}`}</Mono>,
            },
            {
              key: "change",
              header: "After",
              canWrap: true,
              hideBelow: "lg",
              cell: (e) => (
                <Mono className="text-xs">{e.after ? JSON.stringify(e.after).slice(0, 160) : "—"}</Mono>
              ),
            },
            {
              key: "hash",
              header: "Hash",
              hideBelow: "md",
              cell: (e) => (
                <span title={e.hash}>
                  <Mono>{`${e.hash.slice(0, 12)}…`}</Mono>
                </span>
              ),
            },
          ]}
        />
        <Pagination
          previousHref={query.before ? withParams("/audit", {}) : undefined}
          nextHref={page.nextBefore ? withParams("/audit", { before: page.nextBefore }) : undefined}
          summary={query.before ? `Events before #${query.before}` : "Newest events"}
        />
      </div>
    </>
  );
}
