import type { Metadata } from "next";
import Link from "next/link";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { PolicyForm } from "@/components/admin/policy-form";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { listPolicies } from "@/lib/dal/policies";
import { describeRule, evidenceKinds } from "@/lib/domain/promotion/policy";

export const metadata: Metadata = { title: "Admin: promotion policies" };

const rulesOf = (v: {
  metrics: Parameters<typeof describeRule>[0][];
  minEvaluationRows: number | null;
  requiredEvidence: (keyof typeof evidenceKinds)[];
  approvals: number;
}) =>
  [
    ...v.metrics.map((m) => `${m.key}: ${describeRule(m)}`),
    ...(v.minEvaluationRows === null
      ? []
      : [`≥ ${v.minEvaluationRows.toLocaleString("en")} evaluation rows`]),
    ...v.requiredEvidence.map((k) => `${evidenceKinds[k]} required`),
    `${v.approvals} approval${v.approvals === 1 ? "" : "s"}`,
  ].join("; ");

export default async function AdminPoliciesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePageUser("admin:read");
  const { model, target } = await searchParams;
  const { versions, canManage } = await listPolicies(user);
  const editing =
    model && target
      ? versions.find((v) => v.modelName === model && v.target === target && v.isInForce)
      : undefined;
  return (
    <>
      <PageHeader
        title="Admin"
        description="What a version must show before officers may approve it, per registered model and target. Every change is a new version, audited."
      />
      <AdminTabs current="/admin" />
      <div className="space-y-6">
        {!canManage && (
          <Notice tone="info" title="Read-only">
            Risk officers can read the policies and their history; only admins change them.
          </Notice>
        )}
        <Card
          title="Policy history"
          description="Newest version first for each model and target; requests keep the version they were judged by."
          padding="none"
        >
          <DataTable
            caption="Promotion policy versions"
            rows={versions}
            rowKey={(v) => v.id!}
            empty="No policy is set yet: every request is judged by the built-in rules (no metric gates)."
            columns={[
              {
                key: "model",
                header: "Model → target",
                isRowHeader: true,
                cell: (v) => `${v.modelName} → ${v.target === "*" ? "every target" : v.target}`,
              },
              { key: "version", header: "Version", cell: (v) => `v${v.version}` },
              {
                key: "state",
                header: "State",
                cell: (v) =>
                  v.isInForce ? (
                    <Badge tone="success">In force</Badge>
                  ) : v.isScheduled ? (
                    <Badge tone="info">Scheduled</Badge>
                  ) : (
                    <Badge tone="neutral">Superseded</Badge>
                  ),
              },
              {
                key: "from",
                header: "Effective from",
                cell: (v) => new Date(v.effectiveFrom!).toUTCString(),
              },
              { key: "rules", header: "Rules", cell: (v) => <span className="text-xs">{rulesOf(v)}</span> },
              { key: "by", header: "Changed by", cell: (v) => `${v.changedBy}: ${v.note}` },
              ...(canManage
                ? [
                    {
                      key: "edit",
                      header: <span className="sr-only">Edit</span>,
                      cell: (v: (typeof versions)[number]) =>
                        v.isInForce ? (
                          <Link
                            className="text-accent underline"
                            href={`/admin?model=${encodeURIComponent(v.modelName)}&target=${encodeURIComponent(v.target)}#policy-form`}
                          >
                            Edit
                            <span className="sr-only">
                              {" "}
                              {v.modelName} → {v.target}
                            </span>
                          </Link>
                        ) : null,
                    },
                  ]
                : []),
            ]}
          />
        </Card>
        {canManage && (
          <section id="policy-form" aria-labelledby="policy-form-heading" className="space-y-3">
            <h2 id="policy-form-heading" className="text-lg font-semibold">
              {editing
                ? `Change ${editing.modelName} → ${editing.target} (now v${editing.version})`
                : "Set a policy"}
            </h2>
            <PolicyForm key={editing?.id ?? "new"} initial={editing} />
          </section>
        )}
      </div>
    </>
  );
}
