import "server-only";
import { z } from "zod";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { getCloudClients } from "@/lib/cloud";
import { throwCloudError } from "@/lib/cloud-errors";
import { getConfig } from "@/lib/config";
import { appendAuditEvent } from "@/lib/db/audit";
import { getDb, type Prisma, type PrismaClient } from "@/lib/db/client";
import { pinnedPolicy, policyInForce } from "@/lib/db/policies";
import { usersWhoCan } from "@/lib/db/users";
import {
  readRegisteredVersion,
  readRegistryState,
  type EvidenceClients,
} from "@/lib/services/promotion/collect-evidence";
import {
  assessDecision,
  assessOverride,
  describeLatestChange,
  detectStaleness,
} from "@/lib/domain/promotion/decisions";
import {
  describeTarget,
  evidenceSchema,
  isProductionTarget,
  registryOf,
  type PromotionTarget,
} from "@/lib/domain/promotion/evidence";
import type { GateResult } from "@/lib/domain/promotion/gates";
import { policyTargetOf, requiredApprovals } from "@/lib/domain/promotion/policy";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { JobName, JobPayload } from "@/lib/queue/jobs";
import { getJobProducer } from "@/lib/queue/web-producer";
import { notifyUsers } from "./notifications";
import { jobIds } from "@/lib/queue/job-ids";
import {
  requestPromotionBody,
  type DecidePromotionInput,
  type ListPromotionsQuery,
  type OverrideInput,
  type RequestPromotionInput,
} from "@/lib/validation/promotions";

/** Everything the promotion workflow touches, injected so integration tests run it against real services. */
export interface PromotionDeps {
  db: PrismaClient;
  clients: EvidenceClients;
  /** After commit, never inside a transaction; failures are logged, not thrown. */
  enqueue: <N extends JobName>(name: N, payload: JobPayload<N>, options: { jobId: string }) => Promise<void>;
  isWebhookEnabled: boolean;
  now?: () => Date;
}

const actorOf = (user: CurrentUser) => ({ oid: user.oid, name: user.name });
const targetOf = (row: { targetStage: string | null; targetAlias: string | null }): PromotionTarget =>
  row.targetStage
    ? { kind: "stage", name: row.targetStage as "Staging" | "Production" }
    : { kind: "alias", name: row.targetAlias! };
const gateResultsOf = (json: unknown) => (json ?? []) as GateResult[];

/** Without the registry there is no evidence and no staleness check: say so (503) rather than fail blind. */
function registryUnavailable(error: unknown): never {
  throwCloudError(error, "this model's versions and aliases", {
    notFound: (cloud) =>
      new AppError("NOT_FOUND", `The registry does not know this model or version (${cloud.message}).`, {
        cause: cloud,
      }),
  });
}

const requestSelect = {
  id: true,
  registry: true,
  modelName: true,
  version: true,
  targetStage: true,
  targetAlias: true,
  incumbentVersion: true,
  justification: true,
  status: true,
  evidence: true,
  gateResults: true,
  gatesPassed: true,
  requiredApprovals: true,
  policyId: true,
  evaluationError: true,
  override: {
    select: {
      gateIds: true,
      reason: true,
      proposedById: true,
      proposedAt: true,
      confirmedById: true,
      confirmedAt: true,
      proposedBy: { select: { name: true } },
      confirmedBy: { select: { name: true } },
    },
  },
  staleReason: true,
  applyStep: true,
  applyError: true,
  appliedAt: true,
  revision: true,
  requestedById: true,
  requestedBy: { select: { name: true, entraObjectId: true } },
  createdAt: true,
  updatedAt: true,
  decisions: {
    select: {
      decision: true,
      comment: true,
      createdAt: true,
      deciderId: true,
      decider: { select: { name: true } },
    },
    orderBy: { createdAt: "asc" },
  },
} as const satisfies Prisma.PromotionRequestSelect;
type RequestRow = Prisma.PromotionRequestGetPayload<{ select: typeof requestSelect }>;

/** What the audit trail records about a request: its state, never the whole evidence blob. */
const auditState = (
  row: Pick<RequestRow, "status" | "revision" | "gatesPassed" | "requiredApprovals" | "incumbentVersion">,
  approvals?: number,
) => ({
  status: row.status,
  revision: row.revision,
  gatesPassed: row.gatesPassed,
  requiredApprovals: row.requiredApprovals,
  incumbentVersion: row.incumbentVersion,
  ...(approvals === undefined ? {} : { approvals }),
});

export function createPromotionService(deps: PromotionDeps) {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  async function afterCommit(jobs: Array<() => Promise<void>>) {
    for (const job of jobs) {
      try {
        await job();
      } catch (error) {
        logger.warn({ err: error }, "could not enqueue a promotion follow-up job");
      }
    }
  }
  const webhookJob = (seq: bigint) => () =>
    deps.isWebhookEnabled
      ? deps.enqueue("webhook.notify", { auditSeq: seq.toString() }, { jobId: jobIds.notifyAudit(seq) })
      : Promise.resolve();

  async function findRequest(id: string) {
    const row = z.uuid().safeParse(id).success
      ? await db.promotionRequest.findUnique({ where: { id }, select: requestSelect })
      : null;
    if (!row) throw new AppError("NOT_FOUND", "No such promotion request.");
    return row;
  }

  /** Marks an open request stale when the registry moved on since its snapshot; returns the fresh row. */
  async function refreshStaleness(
    row: RequestRow,
    actor: { oid: string; name: string },
    states?: Map<string, ReturnType<typeof readRegistryState>>,
  ): Promise<RequestRow> {
    if (row.status !== "OPEN") return row;
    const evidence = evidenceSchema.parse(row.evidence);
    const target = targetOf(row);
    const key = `${row.modelName}\u0000${target.kind}\u0000${target.name}`;
    const read =
      states?.get(key) ??
      readRegistryState(deps.clients.mlflow, row.modelName, target).catch(registryUnavailable);
    states?.set(key, read);
    const state = await read;
    const reason = detectStaleness(
      { latestVersion: evidence.latestVersion, incumbentVersion: row.incumbentVersion },
      { latestVersion: state.latestVersion, incumbentVersion: state.incumbent?.version ?? null },
    );
    if (!reason) return row;
    await db.$transaction(async (tx) => {
      const { count } = await tx.promotionRequest.updateMany({
        where: { id: row.id, status: "OPEN", revision: row.revision },
        data: { status: "STALE", staleReason: reason, revision: { increment: 1 } },
      });
      if (count)
        await appendAuditEvent(tx, {
          actor,
          action: "promotion.marked-stale",
          entityType: "PromotionRequest",
          entityId: row.id,
          before: auditState(row),
          after: { status: "STALE", staleReason: reason },
        });
    });
    return findRequest(row.id);
  }

  async function enqueueEvaluation(requestId: string, revision: number) {
    await deps.enqueue(
      "mlflow.evaluate-gates",
      { requestId },
      { jobId: jobIds.evaluateGates(requestId, revision) },
    );
  }

  /**
   * Records the request and pins the policy in force; the worker then gathers the facts and
   * evaluates the gates (mlflow.evaluate-gates), so nobody can tick their way past them.
   */
  async function requestPromotion(user: CurrentUser, rawInput: RequestPromotionInput) {
    assertCan(user, "promotions:request");
    const input = requestPromotionBody.parse(rawInput);
    const registry = registryOf(input.modelName);
    if (registry === "UNITY_CATALOG" && input.target.kind === "stage")
      throw new AppError("BAD_REQUEST", "Unity Catalog models have no stages; promote to an alias instead.");
    const [, state] = await Promise.all([
      readRegisteredVersion(deps.clients.mlflow, input.modelName, input.version),
      readRegistryState(deps.clients.mlflow, input.modelName, input.target),
    ]).catch(registryUnavailable);
    if (state.targetHolder === input.version)
      throw new AppError(
        "BAD_REQUEST",
        `Version ${input.version} already holds ${describeTarget(input.target)}.`,
      );
    const policy = await policyInForce(db, input.modelName, policyTargetOf(input.target), now());
    const target = {
      targetStage: input.target.kind === "stage" ? input.target.name : null,
      targetAlias: input.target.kind === "alias" ? input.target.name : null,
    };

    const { row, seq } = await db.$transaction(async (tx) => {
      const open = await tx.promotionRequest.findFirst({
        where: {
          modelName: input.modelName,
          version: input.version,
          ...target,
          status: { in: ["EVALUATING", "OPEN", "STALE"] },
        },
        select: { id: true },
      });
      if (open)
        throw new AppError(
          "CONFLICT",
          `An open request to promote ${input.modelName} v${input.version} to ${describeTarget(input.target)} already exists.`,
          { details: { requestId: open.id } },
        );
      const row = await tx.promotionRequest.create({
        data: {
          registry,
          modelName: input.modelName,
          version: input.version,
          ...target,
          status: "EVALUATING",
          incumbentVersion: state.incumbent?.version ?? null,
          justification: input.justification,
          gatesPassed: false,
          policyId: policy.id,
          requiredApprovals: requiredApprovals(policy, isProductionTarget(input.target)),
          requestedById: user.id,
        },
        select: {
          id: true,
          status: true,
          revision: true,
          gatesPassed: true,
          requiredApprovals: true,
          incumbentVersion: true,
        },
      });
      const requested = await appendAuditEvent(tx, {
        actor: actorOf(user),
        action: "promotion.requested",
        entityType: "PromotionRequest",
        entityId: row.id,
        after: {
          modelName: input.modelName,
          version: input.version,
          target: input.target,
          justification: input.justification,
          policy: { id: policy.id, target: policy.target, version: policy.version },
          ...auditState(row),
        },
      });
      return { row, seq: requested.seq };
    });
    await afterCommit([webhookJob(seq), () => enqueueEvaluation(row.id, row.revision)]);
    return { id: row.id, status: row.status, requiredApprovals: row.requiredApprovals };
  }

  /** Proposes or confirms the override of a request's failed gates (two officers, audited). */
  async function override(user: CurrentUser, id: string, input: OverrideInput) {
    assertCan(user, "promotions:decide");
    await findRequest(id);
    const seq = await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM promotion_requests WHERE id = ${id}::uuid FOR UPDATE`;
      const row = await tx.promotionRequest.findUniqueOrThrow({ where: { id }, select: requestSelect });
      const failed = gateResultsOf(row.gateResults).filter((g) => !g.passed);
      const refusal = assessOverride(
        {
          status: row.status,
          requesterId: row.requestedById,
          failedGateIds: failed.map((g) => g.id),
          override: row.override,
        },
        user.id,
        input.step,
      );
      if (refusal) throw new AppError(refusal.code, refusal.message);
      const entity = { entityType: "PromotionRequest", entityId: id };
      if (input.step === "propose") {
        await tx.gateOverride.create({
          data: {
            requestId: id,
            gateIds: failed.map((g) => g.id),
            reason: input.reason,
            proposedById: user.id,
          },
        });
        await notifyUsers(tx, await usersWhoCan(tx, "promotions:decide", [user.id, row.requestedById]), {
          title: `Override to confirm: ${row.modelName} v${row.version}`,
          body: `${user.name} proposes overriding ${failed.map((g) => g.label).join("; ")}: ${input.reason.slice(0, 200)}`,
          link: `/approvals/${id}`,
        });
        return (
          await appendAuditEvent(tx, {
            actor: actorOf(user),
            action: "promotion.override-proposed",
            ...entity,
            after: {
              gates: failed.map((g) => ({ id: g.id, label: g.label, detail: g.detail })),
              reason: input.reason,
            },
          })
        ).seq;
      }
      await tx.gateOverride.update({
        where: { requestId: id },
        data: { confirmedById: user.id, confirmedAt: now() },
      });
      await tx.promotionRequest.update({ where: { id }, data: { revision: { increment: 1 } } });
      await notifyUsers(tx, [row.requestedById, row.override!.proposedById], {
        title: `Gates overridden: ${row.modelName} v${row.version}`,
        body: `${user.name} confirmed the override proposed by ${row.override!.proposedBy.name}.`,
        link: `/approvals/${id}`,
      });
      return (
        await appendAuditEvent(tx, {
          actor: actorOf(user),
          action: "promotion.override-confirmed",
          ...entity,
          before: { proposedBy: row.override!.proposedBy.name, reason: row.override!.reason },
          after: { gateIds: row.override!.gateIds },
        })
      ).seq;
    });
    await afterCommit([webhookJob(seq)]);
    return { id, step: input.step };
  }

  async function decide(user: CurrentUser, id: string, input: DecidePromotionInput) {
    assertCan(user, "promotions:decide");
    const current = await refreshStaleness(await findRequest(id), actorOf(user));
    // Checked before the lock too, so a refused request costs no transaction.
    const early = assessDecision(toContext(current), user.id, input.decision);
    if (!early.ok) throw await conflictOrRefusal(current, early);

    const result = await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM promotion_requests WHERE id = ${id}::uuid FOR UPDATE`;
      const row = await tx.promotionRequest.findUniqueOrThrow({ where: { id }, select: requestSelect });
      const outcome = assessDecision(toContext(row), user.id, input.decision);
      if (!outcome.ok) return { refused: outcome, row } as const;
      await tx.promotionDecision.create({
        data: { requestId: id, deciderId: user.id, decision: input.decision, comment: input.comment },
      });
      const { count } = await tx.promotionRequest.updateMany({
        where: { id, revision: row.revision },
        data: { status: outcome.nextStatus, revision: { increment: 1 } },
      });
      if (count !== 1)
        throw new AppError("CONFLICT", "The request changed while you decided; reload it and try again.");
      const action = input.decision === "APPROVE" ? "promotion.approved" : "promotion.rejected";
      const approvalsBefore = row.decisions.filter((d) => d.decision === "APPROVE").length;
      const event = await appendAuditEvent(tx, {
        actor: actorOf(user),
        action,
        entityType: "PromotionRequest",
        entityId: id,
        before: auditState(row, approvalsBefore),
        after: {
          ...auditState(
            { ...row, status: outcome.nextStatus, revision: row.revision + 1 },
            outcome.approvalsAfter,
          ),
          comment: input.comment,
        },
      });
      const verdict =
        input.decision === "REJECT"
          ? "rejected"
          : outcome.nextStatus === "APPROVED"
            ? "approved"
            : `approved (${outcome.approvalsAfter} of ${row.requiredApprovals})`;
      await notifyUsers(tx, [row.requestedById], {
        title: `${row.modelName} v${row.version} ${verdict}`,
        body: `${user.name}: ${input.comment}`,
        link: `/approvals/${id}`,
      });
      if (outcome.nextStatus === "OPEN") {
        await notifyUsers(tx, await usersWhoCan(tx, "promotions:decide", [user.id, row.requestedById]), {
          title: `Second approval needed: ${row.modelName} v${row.version}`,
          body: `${user.name} approved; ${row.requiredApprovals - outcome.approvalsAfter} more approval needed.`,
          link: `/approvals/${id}`,
        });
      }
      return {
        refused: null,
        status: outcome.nextStatus,
        approvals: outcome.approvalsAfter,
        seq: event.seq,
      } as const;
    });
    if (result.refused) throw await conflictOrRefusal(result.row, result.refused);
    await afterCommit([
      webhookJob(result.seq),
      ...(result.status === "APPROVED"
        ? [
            () =>
              deps.enqueue("mlflow.apply-promotion", { requestId: id }, { jobId: jobIds.applyPromotion(id) }),
          ]
        : []),
    ]);
    return { id, status: result.status, approvals: result.approvals };
  }

  /** The loser of a race learns who acted and when, from the audit trail. */
  async function conflictOrRefusal(
    row: RequestRow,
    refusal: { code: "FORBIDDEN" | "CONFLICT"; message: string },
  ) {
    if (refusal.code !== "CONFLICT" || row.status === "OPEN" || row.status === "STALE")
      return new AppError(refusal.code, refusal.message);
    const latest = await db.auditEvent.findFirst({
      where: {
        entityType: "PromotionRequest",
        entityId: row.id,
        action: { in: ["promotion.approved", "promotion.rejected", "promotion.withdrawn"] },
      },
      orderBy: { seq: "desc" },
      select: { actorName: true, action: true, occurredAt: true },
    });
    if (!latest) return new AppError(refusal.code, refusal.message);
    const verb = (
      {
        "promotion.approved": "approved",
        "promotion.rejected": "rejected",
        "promotion.withdrawn": "withdrew",
      } as Record<string, string>
    )[latest.action];
    return new AppError(
      "CONFLICT",
      `${describeLatestChange({ actorName: latest.actorName, action: verb, at: latest.occurredAt }, now())}; your decision was not recorded.`,
      { details: { status: row.status } },
    );
  }

  const toContext = (row: RequestRow) => ({
    status: row.status,
    requesterId: row.requestedById,
    requiredApprovals: row.requiredApprovals,
    approvals: row.decisions.filter((d) => d.decision === "APPROVE"),
    staleReason: row.staleReason,
    failedGates: gateResultsOf(row.gateResults)
      .filter((g) => !g.passed)
      .map((g) => g.label),
    isOverridden: Boolean(row.override?.confirmedById),
  });

  async function comment(user: CurrentUser, id: string, body: string) {
    const row = await findRequest(id);
    const isRequester = row.requestedById === user.id;
    if (!isRequester && !can(user, "promotions:decide"))
      throw new AppError(
        "FORBIDDEN",
        "Only the requester and risk officers can comment on a promotion request.",
      );
    await db.$transaction(async (tx) => {
      const created = await tx.promotionComment.create({
        data: { requestId: id, authorId: user.id, body },
        select: { id: true },
      });
      await appendAuditEvent(tx, {
        actor: actorOf(user),
        action: "promotion.commented",
        entityType: "PromotionRequest",
        entityId: id,
        after: { commentId: created.id, body },
      });
      const audience = isRequester
        ? (
            await tx.promotionDecision.findMany({ where: { requestId: id }, select: { deciderId: true } })
          ).map((d) => d.deciderId)
        : [row.requestedById];
      await notifyUsers(tx, audience, {
        title: `New comment on ${row.modelName} v${row.version}`,
        body: `${user.name}: ${body.slice(0, 200)}`,
        link: `/approvals/${id}`,
      });
    });
    return { ok: true };
  }

  async function withdraw(user: CurrentUser, id: string) {
    assertCan(user, "promotions:request");
    const row = await findRequest(id);
    if (row.requestedById !== user.id)
      throw new AppError("FORBIDDEN", "Only the person who requested a promotion can withdraw it.");
    await db.$transaction(async (tx) => {
      const { count } = await tx.promotionRequest.updateMany({
        where: { id, status: { in: ["EVALUATING", "OPEN", "STALE"] } },
        data: { status: "WITHDRAWN", revision: { increment: 1 } },
      });
      if (count !== 1)
        throw new AppError(
          "CONFLICT",
          `This request is ${row.status.toLowerCase()} and can no longer be withdrawn.`,
        );
      await appendAuditEvent(tx, {
        actor: actorOf(user),
        action: "promotion.withdrawn",
        entityType: "PromotionRequest",
        entityId: id,
        before: auditState(row),
        after: { status: "WITHDRAWN" },
      });
    });
    return { id, status: "WITHDRAWN" as const };
  }

  /** Gates evaluated afresh by the worker; a stale request opens again. Approvals and overrides given on old evidence are void. */
  async function refresh(user: CurrentUser, id: string) {
    assertCan(user, "promotions:request");
    const row = await findRequest(id);
    if (row.requestedById !== user.id)
      throw new AppError("FORBIDDEN", "Only the person who requested a promotion can refresh its evidence.");
    if (
      row.status !== "OPEN" &&
      row.status !== "STALE" &&
      !(row.status === "EVALUATING" && row.evaluationError)
    ) {
      throw new AppError(
        "CONFLICT",
        row.status === "EVALUATING"
          ? "The gates are being evaluated already."
          : `This request is ${row.status.toLowerCase()}; its evidence can no longer change.`,
      );
    }
    const target = targetOf(row);
    const state = await readRegistryState(deps.clients.mlflow, row.modelName, target).catch(
      registryUnavailable,
    );
    if (state.targetHolder === row.version)
      throw new AppError(
        "CONFLICT",
        `Version ${row.version} already holds ${describeTarget(target)}; withdraw this request.`,
      );
    const { seq, revision } = await db.$transaction(async (tx) => {
      const { count } = await tx.promotionRequest.updateMany({
        where: { id, revision: row.revision },
        data: {
          status: "EVALUATING",
          staleReason: null,
          evaluationError: null,
          gatesPassed: false,
          incumbentVersion: state.incumbent?.version ?? null,
          revision: { increment: 1 },
        },
      });
      if (count !== 1)
        throw new AppError(
          "CONFLICT",
          "The request changed while its evidence was refreshed; reload and try again.",
        );
      await tx.promotionDecision.deleteMany({ where: { requestId: id, decision: "APPROVE" } });
      await tx.gateOverride.deleteMany({ where: { requestId: id } });
      const event = await appendAuditEvent(tx, {
        actor: actorOf(user),
        action: "promotion.refreshed",
        entityType: "PromotionRequest",
        entityId: id,
        before: {
          ...auditState(row, row.decisions.length),
          override: row.override
            ? { reason: row.override.reason, confirmed: Boolean(row.override.confirmedById) }
            : null,
        },
        after: auditState(
          {
            ...row,
            status: "EVALUATING",
            revision: row.revision + 1,
            gatesPassed: false,
            incumbentVersion: state.incumbent?.version ?? null,
          },
          0,
        ),
      });
      return { seq: event.seq, revision: row.revision + 1 };
    });
    await afterCommit([webhookJob(seq), () => enqueueEvaluation(id, revision)]);
    return { id, status: "EVALUATING" as const };
  }

  async function listPromotions(user: CurrentUser, query: ListPromotionsQuery) {
    assertCan(user, "promotions:read");
    const where: Prisma.PromotionRequestWhereInput =
      query.scope === "queue"
        ? { status: { in: ["EVALUATING", "OPEN", "STALE"] } }
        : query.scope === "mine"
          ? { requestedById: user.id }
          : {};
    const rows = await db.promotionRequest.findMany({
      where,
      orderBy: { createdAt: query.scope === "queue" ? "asc" : "desc" },
      take: query.limit,
      select: requestSelect,
    });
    // Staleness is checked on read, one registry read per model and target, so the queue never offers a stale decision.
    const states = new Map<string, ReturnType<typeof readRegistryState>>();
    const checked =
      query.scope === "queue"
        ? await Promise.all(rows.map((r) => refreshStaleness(r, actorOf(user), states).catch(() => r)))
        : rows;
    return checked.map((row) => toSummary(row, user));
  }

  function toSummary(row: RequestRow, user: CurrentUser) {
    const gates = gateResultsOf(row.gateResults);
    const approvals = row.decisions.filter((d) => d.decision === "APPROVE").length;
    return {
      id: row.id,
      modelName: row.modelName,
      version: row.version,
      target: describeTarget(targetOf(row)),
      incumbentVersion: row.incumbentVersion,
      status: row.status,
      staleReason: row.staleReason,
      requestedBy: row.requestedBy.name,
      isMine: row.requestedById === user.id,
      createdAt: row.createdAt.toISOString(),
      gatesPassed: row.gatesPassed,
      isEvaluated: row.status !== "EVALUATING",
      isOverridden: Boolean(row.override?.confirmedById),
      gateCounts: { passed: gates.filter((g) => g.passed).length, total: gates.length },
      failedGates: gates.filter((g) => !g.passed).map((g) => g.label),
      approvals,
      requiredApprovals: row.requiredApprovals,
    };
  }

  async function getPromotion(user: CurrentUser, id: string) {
    assertCan(user, "promotions:read");
    const row = await refreshStaleness(await findRequest(id), actorOf(user)).catch(async (error) => {
      logger.warn({ err: error, requestId: id }, "could not check staleness; showing the stored state");
      return findRequest(id);
    });
    const [comments, trail] = await Promise.all([
      db.promotionComment.findMany({
        where: { requestId: id },
        orderBy: { createdAt: "asc" },
        select: { id: true, body: true, createdAt: true, author: { select: { name: true } } },
      }),
      db.auditEvent.findMany({
        where: { entityType: "PromotionRequest", entityId: id },
        orderBy: { seq: "asc" },
        select: { seq: true, action: true, actorName: true, occurredAt: true },
      }),
    ]);
    const isRequester = row.requestedById === user.id;
    const decided = assessDecision(toContext(row), user.id, "APPROVE");
    const target = targetOf(row);
    const policy = await pinnedPolicy(db, row, policyTargetOf(target));
    const isOfficer = can(user, "promotions:decide");
    const overrideContext = {
      status: row.status,
      requesterId: row.requestedById,
      failedGateIds: gateResultsOf(row.gateResults)
        .filter((g) => !g.passed)
        .map((g) => g.id),
      override: row.override,
    };
    return {
      ...toSummary(row, user),
      registry: row.registry,
      justification: row.justification,
      revision: row.revision,
      evidence: row.evidence === null ? null : evidenceSchema.parse(row.evidence),
      evaluationError: row.evaluationError,
      gates: gateResultsOf(row.gateResults),
      policy,
      override: row.override && {
        reason: row.override.reason,
        gateIds: row.override.gateIds,
        proposedBy: row.override.proposedBy.name,
        proposedAt: row.override.proposedAt.toISOString(),
        confirmedBy: row.override.confirmedBy?.name ?? null,
        confirmedAt: row.override.confirmedAt?.toISOString() ?? null,
      },
      applyStep: row.applyStep,
      applyError: row.applyError,
      appliedAt: row.appliedAt?.toISOString() ?? null,
      decisions: row.decisions.map((d) => ({
        decision: d.decision,
        comment: d.comment,
        deciderName: d.decider.name,
        createdAt: d.createdAt.toISOString(),
      })),
      comments: comments.map((c) => ({
        id: c.id,
        body: c.body,
        authorName: c.author.name,
        createdAt: c.createdAt.toISOString(),
      })),
      trail: trail.map((e) => ({
        seq: e.seq.toString(),
        action: e.action,
        actorName: e.actorName,
        occurredAt: e.occurredAt.toISOString(),
      })),
      permissions: {
        canDecide: isOfficer && decided.ok,
        /** Why an officer cannot approve (own request, stale, failed gates, already approved), shown instead of the buttons. */
        decideBlockedReason: isOfficer && !decided.ok ? decided.message : null,
        /** A failed gate blocks approval but an officer may still reject. */
        canReject: isOfficer && assessDecision(toContext(row), user.id, "REJECT").ok,
        canProposeOverride: isOfficer && assessOverride(overrideContext, user.id, "propose") === null,
        canConfirmOverride: isOfficer && assessOverride(overrideContext, user.id, "confirm") === null,
        canWithdraw:
          isRequester &&
          can(user, "promotions:request") &&
          ["EVALUATING", "OPEN", "STALE"].includes(row.status),
        canRefresh:
          isRequester &&
          can(user, "promotions:request") &&
          (row.status === "OPEN" ||
            row.status === "STALE" ||
            (row.status === "EVALUATING" && row.evaluationError !== null)),
        canComment: isRequester || can(user, "promotions:decide"),
      },
    };
  }

  /**
   * A token that changes whenever the request changes (a decision bumps `revision`, the worker's steps
   * `updatedAt`, a comment the count), or without an id whenever any request does: open pages poll it
   * (a couple of indexed reads) and re-render only when it moved, so "Approvals 1/2" is never stale.
   */
  async function version(user: CurrentUser, id?: string): Promise<{ version: string }> {
    assertCan(user, "promotions:read");
    if (!id) {
      const all = await db.promotionRequest.aggregate({ _max: { updatedAt: true }, _count: { _all: true } });
      return { version: `${all._count._all}:${all._max.updatedAt?.getTime() ?? 0}` };
    }
    const [row, comments] = await Promise.all([
      db.promotionRequest.findUnique({ where: { id }, select: { revision: true, updatedAt: true } }),
      db.promotionComment.count({ where: { requestId: id } }),
    ]);
    if (!row) throw new AppError("NOT_FOUND", "No such promotion request.");
    return { version: `${row.revision}:${row.updatedAt.getTime()}:${comments}` };
  }

  return {
    requestPromotion,
    decide,
    override,
    comment,
    withdraw,
    refresh,
    listPromotions,
    getPromotion,
    version,
  };
}

export type PromotionSummary =
  ReturnType<ReturnType<typeof createPromotionService>["listPromotions"]> extends Promise<Array<infer T>>
    ? T
    : never;
export type PromotionDetail = Awaited<ReturnType<ReturnType<typeof createPromotionService>["getPromotion"]>>;

const globalForPromotions = globalThis as unknown as {
  switchboardPromotions?: ReturnType<typeof createPromotionService>;
};

function service() {
  if (!globalForPromotions.switchboardPromotions) {
    const config = getConfig();
    globalForPromotions.switchboardPromotions = createPromotionService({
      db: getDb(),
      clients: getCloudClients(),
      enqueue: (name, payload, options) => getJobProducer().enqueue(name, payload, options),
      isWebhookEnabled: Boolean(config.NOTIFY_WEBHOOK_URL),
    });
  }
  return globalForPromotions.switchboardPromotions;
}

export const requestPromotion = (user: CurrentUser, input: RequestPromotionInput) =>
  service().requestPromotion(user, input);
export const decidePromotion = (user: CurrentUser, id: string, input: DecidePromotionInput) =>
  service().decide(user, id, input);
export const commentOnPromotion = (user: CurrentUser, id: string, body: string) =>
  service().comment(user, id, body);
export const withdrawPromotion = (user: CurrentUser, id: string) => service().withdraw(user, id);
export const refreshPromotion = (user: CurrentUser, id: string) => service().refresh(user, id);
export const overridePromotionGates = (user: CurrentUser, id: string, input: OverrideInput) =>
  service().override(user, id, input);
export const listPromotions = (user: CurrentUser, query: ListPromotionsQuery) =>
  service().listPromotions(user, query);
export const getPromotion = (user: CurrentUser, id: string) => service().getPromotion(user, id);
export const getPromotionVersion = (user: CurrentUser, id?: string) => service().version(user, id);
