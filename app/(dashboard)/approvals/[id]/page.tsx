import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CommentForm } from "@/components/promotions/comment-form";
import { DecisionPanel } from "@/components/promotions/decision-panel";
import { EvidenceDetails, MetricComparison } from "@/components/promotions/evidence-comparison";
import { GateList } from "@/components/promotions/gate-list";
import { RequesterActions } from "@/components/promotions/requester-actions";
import { RolloutProgress } from "@/components/promotions/rollout-progress";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { KeyValueList } from "@/components/ui/key-value-list";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { requirePageUser } from "@/lib/auth/session";
import { getPromotion } from "@/lib/dal/promotions";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Promotion request" };

export default async function PromotionRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser("promotions:read");
  const { id } = await params;
  const request = await getPromotion(user, id).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const { permissions, evidence } = request;
  const isRolloutExpected = ["APPROVED", "APPLYING", "APPLIED"].includes(request.status);

  return (
    <>
      <PageHeader
        title={`${request.modelName} v${request.version} → ${request.target}`}
        breadcrumbs={[{ label: "Approvals", href: "/approvals" }, { label: `${request.modelName} v${request.version}` }]}
        meta={
          <div className="flex flex-wrap items-center gap-2 text-sm text-fg-muted">
            <StatusBadge domain="promotion" status={request.status} />
            <Badge tone={request.gatesPassed ? "success" : "danger"}>{request.gatesPassed ? "Gates pass" : "Gates fail"}</Badge>
            <span>
              Requested by {request.requestedBy} <RelativeTime date={request.createdAt} />
            </span>
            <span>
              Approvals {request.approvals}/{request.requiredApprovals}
            </span>
          </div>
        }
        actions={permissions.canRefresh ? <RequesterActions requestId={request.id} isStale={request.status === "STALE"} /> : undefined}
      />
      <div className="space-y-6">
        {request.status === "STALE" && (
          <Notice tone="warning" title="This request is stale">
            {request.staleReason}. It cannot be approved until the requester refreshes the evidence.
          </Notice>
        )}
        {request.applyError && (
          <Notice tone="danger" title="Applying the promotion failed">
            {request.applyError}
          </Notice>
        )}
        <Card title="Justification">
          <p className="whitespace-pre-wrap text-sm">{request.justification}</p>
        </Card>

        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Candidate vs incumbent" description={`Evidence captured ${new Date(evidence.capturedAt).toUTCString()}`} padding="none">
            <MetricComparison evidence={evidence} />
          </Card>
          <Card title="Policy gates">
            <GateList gates={request.gates} />
          </Card>
        </div>

        <EvidenceDetails evidence={evidence} />

        {permissions.canDecide && <DecisionPanel requestId={request.id} approvals={request.approvals} requiredApprovals={request.requiredApprovals} />}
        {!permissions.canDecide && permissions.decideBlockedReason && (request.status === "OPEN" || request.status === "STALE") && (
          <Notice tone="info" title="You cannot decide this request">
            {permissions.decideBlockedReason}
          </Notice>
        )}

        {isRolloutExpected && (
          <Card title="Rollout">
            <RolloutProgress promotionRequestId={request.id} isRolloutExpected={request.status !== "APPLIED"} />
          </Card>
        )}

        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Decisions and comments">
            <ul className="space-y-3 text-sm">
              {request.decisions.map((d) => (
                <li key={`${d.deciderName}-${d.createdAt}`}>
                  <Badge tone={d.decision === "APPROVE" ? "success" : "danger"}>{d.decision === "APPROVE" ? "Approved" : "Rejected"}</Badge> <strong>{d.deciderName}</strong> <RelativeTime date={d.createdAt} />
                  <p className="mt-1 whitespace-pre-wrap">{d.comment}</p>
                </li>
              ))}
              {request.comments.map((c) => (
                <li key={c.id}>
                  <strong>{c.authorName}</strong> <RelativeTime date={c.createdAt} />
                  <p className="mt-1 whitespace-pre-wrap">{c.body}</p>
                </li>
              ))}
              {!request.decisions.length && !request.comments.length && <li className="text-fg-muted">No decisions or comments yet.</li>}
            </ul>
            {permissions.canComment && (
              <div className="mt-4">
                <CommentForm requestId={request.id} />
              </div>
            )}
          </Card>
          <Card title="Audit trail">
            <KeyValueList items={request.trail.map((e) => ({ label: `#${e.seq} ${e.action.replace("promotion.", "")}`, value: `${e.actorName}, ${new Date(e.occurredAt).toUTCString()}` }))} />
          </Card>
        </div>
      </div>
    </>
  );
}
