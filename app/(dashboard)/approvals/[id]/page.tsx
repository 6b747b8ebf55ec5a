import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CommentForm } from "@/components/promotions/comment-form";
import { DecisionPanel } from "@/components/promotions/decision-panel";
import { EvidenceDetails, MetricComparison } from "@/components/promotions/evidence-comparison";
import { GateList } from "@/components/promotions/gate-list";
import { OverridePanel } from "@/components/promotions/override-panel";
import { PolicySummary } from "@/components/promotions/policy-summary";
import { PromotionWatch } from "@/components/promotions/promotion-watch";
import { RequesterActions } from "@/components/promotions/requester-actions";
import { RolloutProgress } from "@/components/promotions/rollout-progress";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { KeyValueList } from "@/components/ui/key-value-list";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { requirePageUser } from "@/lib/auth/session";
import { getPromotion, getPromotionVersion } from "@/lib/dal/promotions";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Promotion request" };

export default async function PromotionRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser("promotions:read");
  const { id } = await params;
  const notFoundOrThrow = (error: unknown): never => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  };
  // The token first: a change landing while the page reads is then seen by the watcher, never missed.
  const { version } = await getPromotionVersion(user, id).catch(notFoundOrThrow);
  const request = await getPromotion(user, id).catch(notFoundOrThrow);
  const { permissions, evidence } = request;
  const isRolloutExpected = ["APPROVED", "APPLYING", "APPLIED"].includes(request.status);
  const isEvaluating = request.status === "EVALUATING";
  const gatesBadge = isEvaluating
    ? { tone: "neutral", label: "Evaluating gates" }
    : request.gatesPassed
      ? { tone: "success", label: "Gates pass" }
      : request.isOverridden
        ? { tone: "warning", label: "Gates overridden" }
        : { tone: "danger", label: "Gates fail" };

  return (
    <>
      <PageHeader
        title={`${request.modelName} v${request.version} → ${request.target}`}
        breadcrumbs={[
          { label: "Approvals", href: "/approvals" },
          { label: `${request.modelName} v${request.version}` },
        ]}
        meta={
          <div className="flex flex-wrap items-center gap-2 text-sm text-fg-muted">
            <StatusBadge domain="promotion" status={request.status} />
            <Badge tone={gatesBadge.tone as "neutral" | "success" | "warning" | "danger"}>
              {gatesBadge.label}
            </Badge>
            <span>
              Requested by {request.requestedBy} <RelativeTime date={request.createdAt} />
            </span>
            <span>
              Approvals {request.approvals}/{request.requiredApprovals}
            </span>
          </div>
        }
        actions={
          permissions.canRefresh ? (
            <RequesterActions requestId={request.id} isStale={request.status === "STALE"} />
          ) : undefined
        }
      />
      <PromotionWatch
        requestId={request.id}
        version={version}
        isActive={!["WITHDRAWN", "REJECTED", "APPLIED", "FAILED"].includes(request.status)}
      />
      <div className="space-y-6">
        {isEvaluating && !request.evaluationError && (
          <Notice tone="info" title="Evaluating the gates">
            The worker is reading the candidate's and incumbent's MLflow metrics, evaluation size, evidence
            tags and data-quality results; this page updates when the verdict is in.
          </Notice>
        )}
        {request.evaluationError && (
          <Notice tone="danger" title="The gates could not be evaluated">
            {request.evaluationError} The requester can refresh the evidence to try again.
          </Notice>
        )}
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

        {evidence && (
          <Card
            title="Candidate vs incumbent"
            description={
              <>
                Evidence captured <DateTime value={evidence.capturedAt} />
              </>
            }
            padding="none"
          >
            <MetricComparison evidence={evidence} policy={request.policy} />
          </Card>
        )}
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Policy gates">
            {isEvaluating ? (
              <p className="text-sm text-fg-muted">Not evaluated yet.</p>
            ) : (
              <GateList gates={request.gates} />
            )}
          </Card>
          <Card title="Policy">
            <PolicySummary policy={request.policy} />
          </Card>
        </div>

        {evidence && <EvidenceDetails evidence={evidence} />}

        {request.status === "OPEN" &&
          request.failedGates.length > 0 &&
          (permissions.canProposeOverride || permissions.canConfirmOverride || request.override) && (
            <OverridePanel
              requestId={request.id}
              failedGates={request.failedGates}
              override={request.override}
              canPropose={permissions.canProposeOverride}
              canConfirm={permissions.canConfirmOverride}
            />
          )}
        {permissions.decideBlockedReason &&
          (request.status === "OPEN" || request.status === "STALE" || isEvaluating) && (
            <Notice tone="info" title="You cannot approve this request">
              {permissions.decideBlockedReason}
            </Notice>
          )}
        {(permissions.canDecide || permissions.canReject) && (
          <DecisionPanel
            requestId={request.id}
            approvals={request.approvals}
            requiredApprovals={request.requiredApprovals}
            canApprove={permissions.canDecide}
          />
        )}

        {isRolloutExpected && (
          <Card title="Rollout">
            <RolloutProgress
              promotionRequestId={request.id}
              isRolloutExpected={request.status !== "APPLIED"}
            />
          </Card>
        )}

        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Decisions and comments">
            <ul className="space-y-3 text-sm">
              {request.decisions.map((d) => (
                <li key={`${d.deciderName}-${d.createdAt}`}>
                  <Badge tone={d.decision === "APPROVE" ? "success" : "danger"}>
                    {d.decision === "APPROVE" ? "Approved" : "Rejected"}
                  </Badge>{" "}
                  <strong>{d.deciderName}</strong> <RelativeTime date={d.createdAt} />
                  <p className="mt-1 whitespace-pre-wrap">{d.comment}</p>
                </li>
              ))}
              {request.comments.map((c) => (
                <li key={c.id}>
                  <strong>{c.authorName}</strong> <RelativeTime date={c.createdAt} />
                  <p className="mt-1 whitespace-pre-wrap">{c.body}</p>
                </li>
              ))}
              {!request.decisions.length && !request.comments.length && (
                <li className="text-fg-muted">No decisions or comments yet.</li>
              )}
            </ul>
            {permissions.canComment && (
              <div className="mt-4">
                <CommentForm requestId={request.id} />
              </div>
            )}
          </Card>
          <Card title="Audit trail">
            <KeyValueList
              items={request.trail.map((e) => ({
                label: `#${e.seq} ${e.action.replace("promotion.", "")}`,
                value: (
                  <>
                    {e.actorName}, <DateTime value={e.occurredAt} withSeconds />
                  </>
                ),
              }))}
            />
          </Card>
        </div>
      </div>
    </>
  );
}
