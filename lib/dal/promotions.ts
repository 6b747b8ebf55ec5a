import "server-only";
import { z } from "zod";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { getCloudClients } from "@/lib/cloud";
import { CloudApiError } from "@/lib/clients/http";
import { getConfig } from "@/lib/config";
import { appendAuditEvent } from "@/lib/db/audit";
import { getDb, type Prisma, type PrismaClient } from "@/lib/db/client";
import { collectEvidence, readRegistryState, type EvidenceClients } from "@/lib/domain/promotion/collect-evidence";
import { assessDecision, describeLatestChange, detectStaleness } from "@/lib/domain/promotion/decisions";
import { checklistItemIds, describeTarget, evidenceSchema, isProductionTarget, promotionTargetSchema, registryOf, type PromotionTarget } from "@/lib/domain/promotion/evidence";
import { allGatesPass, defaultPolicy, evaluateGates, type GatePolicy, type GateResult } from "@/lib/domain/promotion/gates";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { JobName, JobPayload } from "@/lib/queue/jobs";
import { getJobProducer } from "@/lib/queue/web-producer";
import { notifyUsers, usersWithRole } from "./notifications";
import { jobIds } from "@/lib/queue/job-ids";

export const requestPromotionBody = z.object({
  modelName: z.string().trim().min(1).max(255),
  version: z.string().regex(/^\d+$/, "A version is a number."),
  target: promotionTargetSchema,
  justification: z.string().trim().min(10, "Say why in at least 10 characters.").max(4000),
  checklist: z.array(z.enum(checklistItemIds)).max(checklistItemIds.length).default([]),
});
export type RequestPromotionInput = z.input<typeof requestPromotionBody>;

export const decidePromotionBody = z.object({
  decision: z.enum(["APPROVE", "REJECT"]),
  comment: z.string().trim().min(3, "A decision needs a comment.").max(4000),
});
export const commentBody = z.object({ body: z.string().trim().min(1).max(4000) });
export const refreshBody = z.object({ checklist: z.array(z.enum(checklistItemIds)).max(checklistItemIds.length).optional() });

export const listPromotionsQuery = z.object({
  scope: z.enum(["queue", "mine", "all"]).default("queue"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListPromotionsQuery = z.output<typeof listPromotionsQuery>;

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
  row.targetStage ? { kind: "stage", name: row.targetStage as "Staging" | "Production" } : { kind: "alias", name: row.targetAlias! };
const gateResultsOf = (json: unknown) => json as GateResult[];

/** Without the registry there is no evidence and no staleness check: say so (503) rather than fail blind. */
function registryUnavailable(error: unknown): never {
  if (error instanceof CloudApiError && error.isNotFound) throw new AppError("NOT_FOUND", `The registry does not know this model or version (${error.message}).`, { cause: error });
  if (error instanceof CloudApiError) throw new AppError("UNAVAILABLE", `The model registry could not be read (${error.message}); try again shortly.`, { cause: error });
  throw error;
}

async function policyFor(db: PrismaClient, modelName: string): Promise<GatePolicy> {
  const row = await db.modelPolicy.findUnique({ where: { modelName }, select: { primaryMetric: true, higherIsBetter: true, minimum: true, maxRegression: true, requiredChecklist: true, productionApprovals: true } });
  return row ?? defaultPolicy;
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
  staleReason: true,
  applyStep: true,
  applyError: true,
  appliedAt: true,
  revision: true,
  requestedById: true,
  requestedBy: { select: { name: true, entraObjectId: true } },
  createdAt: true,
  updatedAt: true,
  decisions: { select: { decision: true, comment: true, createdAt: true, deciderId: true, decider: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
} as const satisfies Prisma.PromotionRequestSelect;
type RequestRow = Prisma.PromotionRequestGetPayload<{ select: typeof requestSelect }>;

/** What the audit trail records about a request: its state, never the whole evidence blob. */
const auditState = (row: Pick<RequestRow, "status" | "revision" | "gatesPassed" | "requiredApprovals" | "incumbentVersion">, approvals?: number) => ({
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
  const webhookJob = (seq: bigint) => () => (deps.isWebhookEnabled ? deps.enqueue("webhook.notify", { auditSeq: seq.toString() }, { jobId: jobIds.notifyAudit(seq) }) : Promise.resolve());

  async function findRequest(id: string) {
    const row = z.uuid().safeParse(id).success ? await db.promotionRequest.findUnique({ where: { id }, select: requestSelect }) : null;
    if (!row) throw new AppError("NOT_FOUND", "No such promotion request.");
    return row;
  }

  /** Marks an open request stale when the registry moved on since its snapshot; returns the fresh row. */
  async function refreshStaleness(row: RequestRow, actor: { oid: string; name: string }, states?: Map<string, ReturnType<typeof readRegistryState>>): Promise<RequestRow> {
    if (row.status !== "OPEN") return row;
    const evidence = evidenceSchema.parse(row.evidence);
    const target = targetOf(row);
    const key = `${row.modelName}\u0000${target.kind}\u0000${target.name}`;
    const read = states?.get(key) ?? readRegistryState(deps.clients.mlflow, row.modelName, target).catch(registryUnavailable);
    states?.set(key, read);
    const state = await read;
    const reason = detectStaleness({ latestVersion: evidence.latestVersion, incumbentVersion: row.incumbentVersion }, { latestVersion: state.latestVersion, incumbentVersion: state.incumbent?.version ?? null });
    if (!reason) return row;
    await db.$transaction(async (tx) => {
      const { count } = await tx.promotionRequest.updateMany({ where: { id: row.id, status: "OPEN", revision: row.revision }, data: { status: "STALE", staleReason: reason, revision: { increment: 1 } } });
      if (count) await appendAuditEvent(tx, { actor, action: "promotion.marked-stale", entityType: "PromotionRequest", entityId: row.id, before: auditState(row), after: { status: "STALE", staleReason: reason } });
    });
    return findRequest(row.id);
  }

  async function requestPromotion(user: CurrentUser, rawInput: RequestPromotionInput) {
    assertCan(user, "promotions:request");
    const input = requestPromotionBody.parse(rawInput);
    const registry = registryOf(input.modelName);
    if (registry === "UNITY_CATALOG" && input.target.kind === "stage") throw new AppError("BAD_REQUEST", "Unity Catalog models have no stages; promote to an alias instead.");
    const evidence = await collectEvidence({ clients: deps.clients, db, now }, input).catch(registryUnavailable);
    if (evidence.incumbent?.version === input.version) throw new AppError("BAD_REQUEST", `Version ${input.version} already holds ${describeTarget(input.target)}.`);
    const policy = await policyFor(db, input.modelName);
    const gates = evaluateGates(policy, evidence);
    const target = { targetStage: input.target.kind === "stage" ? input.target.name : null, targetAlias: input.target.kind === "alias" ? input.target.name : null };
    const link = (id: string) => `/approvals/${id}`;

    const { row, seq } = await db.$transaction(async (tx) => {
      const open = await tx.promotionRequest.findFirst({ where: { modelName: input.modelName, version: input.version, ...target, status: { in: ["OPEN", "STALE"] } }, select: { id: true } });
      if (open) throw new AppError("CONFLICT", `An open request to promote ${input.modelName} v${input.version} to ${describeTarget(input.target)} already exists.`, { details: { requestId: open.id } });
      const row = await tx.promotionRequest.create({
        data: {
          registry,
          modelName: input.modelName,
          version: input.version,
          ...target,
          incumbentVersion: evidence.incumbent?.version ?? null,
          justification: input.justification,
          evidence,
          gateResults: gates as unknown as Prisma.InputJsonValue,
          gatesPassed: allGatesPass(gates),
          requiredApprovals: isProductionTarget(input.target) ? Math.max(1, policy.productionApprovals) : 1,
          requestedById: user.id,
        },
        select: { id: true, status: true, revision: true, gatesPassed: true, requiredApprovals: true, incumbentVersion: true },
      });
      const entity = { entityType: "PromotionRequest", entityId: row.id };
      const requested = await appendAuditEvent(tx, {
        actor: actorOf(user),
        action: "promotion.requested",
        ...entity,
        after: { modelName: input.modelName, version: input.version, target: input.target, justification: input.justification, checklist: input.checklist, ...auditState(row) },
      });
      await appendAuditEvent(tx, { actor: actorOf(user), action: "promotion.gates-evaluated", ...entity, after: { gates: gates.map((g) => ({ id: g.id, passed: g.passed, actual: g.actual, threshold: g.threshold })), gatesPassed: row.gatesPassed } });
      await notifyUsers(tx, await usersWithRole(tx, "ModelRiskOfficer", user.id), {
        title: `Promotion to review: ${input.modelName} v${input.version}`,
        body: `${user.name} asks to move it to ${describeTarget(input.target)}; gates ${row.gatesPassed ? "pass" : "fail"}.`,
        link: link(row.id),
      });
      return { row, seq: requested.seq };
    });
    await afterCommit([webhookJob(seq)]);
    return { id: row.id, status: row.status, gatesPassed: row.gatesPassed, requiredApprovals: row.requiredApprovals };
  }

  async function decide(user: CurrentUser, id: string, input: z.output<typeof decidePromotionBody>) {
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
      await tx.promotionDecision.create({ data: { requestId: id, deciderId: user.id, decision: input.decision, comment: input.comment } });
      const { count } = await tx.promotionRequest.updateMany({ where: { id, revision: row.revision }, data: { status: outcome.nextStatus, revision: { increment: 1 } } });
      if (count !== 1) throw new AppError("CONFLICT", "The request changed while you decided; reload it and try again.");
      const action = input.decision === "APPROVE" ? "promotion.approved" : "promotion.rejected";
      const approvalsBefore = row.decisions.filter((d) => d.decision === "APPROVE").length;
      const event = await appendAuditEvent(tx, {
        actor: actorOf(user),
        action,
        entityType: "PromotionRequest",
        entityId: id,
        before: auditState(row, approvalsBefore),
        after: { ...auditState({ ...row, status: outcome.nextStatus, revision: row.revision + 1 }, outcome.approvalsAfter), comment: input.comment },
      });
      const verdict = input.decision === "REJECT" ? "rejected" : outcome.nextStatus === "APPROVED" ? "approved" : `approved (${outcome.approvalsAfter} of ${row.requiredApprovals})`;
      await notifyUsers(tx, [row.requestedById], { title: `${row.modelName} v${row.version} ${verdict}`, body: `${user.name}: ${input.comment}`, link: `/approvals/${id}` });
      if (outcome.nextStatus === "OPEN") {
        await notifyUsers(tx, await usersWithRole(tx, "ModelRiskOfficer", user.id).then((ids) => ids.filter((i) => i !== row.requestedById)), {
          title: `Second approval needed: ${row.modelName} v${row.version}`,
          body: `${user.name} approved; ${row.requiredApprovals - outcome.approvalsAfter} more approval needed.`,
          link: `/approvals/${id}`,
        });
      }
      return { refused: null, status: outcome.nextStatus, approvals: outcome.approvalsAfter, seq: event.seq } as const;
    });
    if (result.refused) throw await conflictOrRefusal(result.row, result.refused);
    await afterCommit([
      webhookJob(result.seq),
      ...(result.status === "APPROVED" ? [() => deps.enqueue("mlflow.apply-promotion", { requestId: id }, { jobId: jobIds.applyPromotion(id) })] : []),
    ]);
    return { id, status: result.status, approvals: result.approvals };
  }

  /** The loser of a race learns who acted and when, from the audit trail. */
  async function conflictOrRefusal(row: RequestRow, refusal: { code: "FORBIDDEN" | "CONFLICT"; message: string }) {
    if (refusal.code !== "CONFLICT" || row.status === "OPEN" || row.status === "STALE") return new AppError(refusal.code, refusal.message);
    const latest = await db.auditEvent.findFirst({
      where: { entityType: "PromotionRequest", entityId: row.id, action: { in: ["promotion.approved", "promotion.rejected", "promotion.withdrawn"] } },
      orderBy: { seq: "desc" },
      select: { actorName: true, action: true, occurredAt: true },
    });
    if (!latest) return new AppError(refusal.code, refusal.message);
    const verb = ({ "promotion.approved": "approved", "promotion.rejected": "rejected", "promotion.withdrawn": "withdrew" } as Record<string, string>)[latest.action];
    return new AppError("CONFLICT", `${describeLatestChange({ actorName: latest.actorName, action: verb, at: latest.occurredAt }, now())}; your decision was not recorded.`, { details: { status: row.status } });
  }

  const toContext = (row: RequestRow) => ({
    status: row.status,
    requesterId: row.requestedById,
    requiredApprovals: row.requiredApprovals,
    approvals: row.decisions.filter((d) => d.decision === "APPROVE"),
    staleReason: row.staleReason,
  });

  async function comment(user: CurrentUser, id: string, body: string) {
    const row = await findRequest(id);
    const isRequester = row.requestedById === user.id;
    if (!isRequester && !can(user, "promotions:decide")) throw new AppError("FORBIDDEN", "Only the requester and risk officers can comment on a promotion request.");
    await db.$transaction(async (tx) => {
      const created = await tx.promotionComment.create({ data: { requestId: id, authorId: user.id, body }, select: { id: true } });
      await appendAuditEvent(tx, { actor: actorOf(user), action: "promotion.commented", entityType: "PromotionRequest", entityId: id, after: { commentId: created.id, body } });
      const audience = isRequester ? (await tx.promotionDecision.findMany({ where: { requestId: id }, select: { deciderId: true } })).map((d) => d.deciderId) : [row.requestedById];
      await notifyUsers(tx, audience, { title: `New comment on ${row.modelName} v${row.version}`, body: `${user.name}: ${body.slice(0, 200)}`, link: `/approvals/${id}` });
    });
    return { ok: true };
  }

  async function withdraw(user: CurrentUser, id: string) {
    assertCan(user, "promotions:request");
    const row = await findRequest(id);
    if (row.requestedById !== user.id) throw new AppError("FORBIDDEN", "Only the person who requested a promotion can withdraw it.");
    await db.$transaction(async (tx) => {
      const { count } = await tx.promotionRequest.updateMany({ where: { id, status: { in: ["OPEN", "STALE"] } }, data: { status: "WITHDRAWN", revision: { increment: 1 } } });
      if (count !== 1) throw new AppError("CONFLICT", `This request is ${row.status.toLowerCase()} and can no longer be withdrawn.`);
      await appendAuditEvent(tx, { actor: actorOf(user), action: "promotion.withdrawn", entityType: "PromotionRequest", entityId: id, before: auditState(row), after: { status: "WITHDRAWN" } });
    });
    return { id, status: "WITHDRAWN" as const };
  }

  /** New snapshot and gates; a stale request opens again. Approvals given on old evidence are void. */
  async function refresh(user: CurrentUser, id: string, input: z.output<typeof refreshBody>) {
    assertCan(user, "promotions:request");
    const row = await findRequest(id);
    if (row.requestedById !== user.id) throw new AppError("FORBIDDEN", "Only the person who requested a promotion can refresh its evidence.");
    if (row.status !== "OPEN" && row.status !== "STALE") throw new AppError("CONFLICT", `This request is ${row.status.toLowerCase()}; its evidence can no longer change.`);
    const target = targetOf(row);
    const previous = evidenceSchema.parse(row.evidence);
    const evidence = await collectEvidence({ clients: deps.clients, db, now }, { modelName: row.modelName, version: row.version, target, checklist: input.checklist ?? previous.checklist }).catch(registryUnavailable);
    if (evidence.incumbent?.version === row.version) throw new AppError("CONFLICT", `Version ${row.version} already holds ${describeTarget(target)}; withdraw this request.`);
    const gates = evaluateGates(await policyFor(db, row.modelName), evidence);
    const gatesPassed = allGatesPass(gates);
    await db.$transaction(async (tx) => {
      const { count } = await tx.promotionRequest.updateMany({
        where: { id, revision: row.revision },
        data: { status: "OPEN", staleReason: null, evidence, gateResults: gates as unknown as Prisma.InputJsonValue, gatesPassed, incumbentVersion: evidence.incumbent?.version ?? null, revision: { increment: 1 } },
      });
      if (count !== 1) throw new AppError("CONFLICT", "The request changed while its evidence was refreshed; reload and try again.");
      await tx.promotionDecision.deleteMany({ where: { requestId: id, decision: "APPROVE" } });
      await appendAuditEvent(tx, {
        actor: actorOf(user),
        action: "promotion.refreshed",
        entityType: "PromotionRequest",
        entityId: id,
        before: auditState(row, row.decisions.length),
        after: { ...auditState({ ...row, status: "OPEN", revision: row.revision + 1, gatesPassed, incumbentVersion: evidence.incumbent?.version ?? null }, 0), gates: gates.map((g) => ({ id: g.id, passed: g.passed, actual: g.actual })) },
      });
      await notifyUsers(tx, await usersWithRole(tx, "ModelRiskOfficer", user.id), { title: `Evidence refreshed: ${row.modelName} v${row.version}`, body: `${user.name} refreshed the evidence; gates ${gatesPassed ? "pass" : "fail"}.`, link: `/approvals/${id}` });
    });
    return { id, status: "OPEN" as const, gatesPassed };
  }

  async function listPromotions(user: CurrentUser, query: ListPromotionsQuery) {
    assertCan(user, "promotions:read");
    const where: Prisma.PromotionRequestWhereInput =
      query.scope === "queue" ? { status: { in: ["OPEN", "STALE"] } } : query.scope === "mine" ? { requestedById: user.id } : {};
    const rows = await db.promotionRequest.findMany({ where, orderBy: { createdAt: query.scope === "queue" ? "asc" : "desc" }, take: query.limit, select: requestSelect });
    // Staleness is checked on read, one registry read per model and target, so the queue never offers a stale decision.
    const states = new Map<string, ReturnType<typeof readRegistryState>>();
    const checked = query.scope === "queue" ? await Promise.all(rows.map((r) => refreshStaleness(r, actorOf(user), states).catch(() => r))) : rows;
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
      gateCounts: { passed: gates.filter((g) => g.passed).length, total: gates.length },
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
      db.promotionComment.findMany({ where: { requestId: id }, orderBy: { createdAt: "asc" }, select: { id: true, body: true, createdAt: true, author: { select: { name: true } } } }),
      db.auditEvent.findMany({ where: { entityType: "PromotionRequest", entityId: id }, orderBy: { seq: "asc" }, select: { seq: true, action: true, actorName: true, occurredAt: true } }),
    ]);
    const isRequester = row.requestedById === user.id;
    const decided = assessDecision(toContext(row), user.id, "APPROVE");
    return {
      ...toSummary(row, user),
      registry: row.registry,
      justification: row.justification,
      revision: row.revision,
      evidence: evidenceSchema.parse(row.evidence),
      gates: gateResultsOf(row.gateResults),
      applyStep: row.applyStep,
      applyError: row.applyError,
      appliedAt: row.appliedAt?.toISOString() ?? null,
      decisions: row.decisions.map((d) => ({ decision: d.decision, comment: d.comment, deciderName: d.decider.name, createdAt: d.createdAt.toISOString() })),
      comments: comments.map((c) => ({ id: c.id, body: c.body, authorName: c.author.name, createdAt: c.createdAt.toISOString() })),
      trail: trail.map((e) => ({ seq: e.seq.toString(), action: e.action, actorName: e.actorName, occurredAt: e.occurredAt.toISOString() })),
      permissions: {
        canDecide: can(user, "promotions:decide") && decided.ok,
        /** Why an officer cannot decide (own request, stale, already approved), shown beside the disabled buttons. */
        decideBlockedReason: can(user, "promotions:decide") && !decided.ok ? decided.message : null,
        canWithdraw: isRequester && can(user, "promotions:request") && (row.status === "OPEN" || row.status === "STALE"),
        canRefresh: isRequester && can(user, "promotions:request") && (row.status === "OPEN" || row.status === "STALE"),
        canComment: isRequester || can(user, "promotions:decide"),
      },
    };
  }

  return { requestPromotion, decide, comment, withdraw, refresh, listPromotions, getPromotion };
}

export type PromotionSummary = ReturnType<ReturnType<typeof createPromotionService>["listPromotions"]> extends Promise<Array<infer T>> ? T : never;
export type PromotionDetail = Awaited<ReturnType<ReturnType<typeof createPromotionService>["getPromotion"]>>;

const globalForPromotions = globalThis as unknown as { switchboardPromotions?: ReturnType<typeof createPromotionService> };

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

export const requestPromotion = (user: CurrentUser, input: RequestPromotionInput) => service().requestPromotion(user, input);
export const decidePromotion = (user: CurrentUser, id: string, input: z.output<typeof decidePromotionBody>) => service().decide(user, id, input);
export const commentOnPromotion = (user: CurrentUser, id: string, body: string) => service().comment(user, id, body);
export const withdrawPromotion = (user: CurrentUser, id: string) => service().withdraw(user, id);
export const refreshPromotion = (user: CurrentUser, id: string, input: z.output<typeof refreshBody>) => service().refresh(user, id, input);
export const listPromotions = (user: CurrentUser, query: ListPromotionsQuery) => service().listPromotions(user, query);
export const getPromotion = (user: CurrentUser, id: string) => service().getPromotion(user, id);

/** The gates a request for this model will face (the default policy when it has none, or no model is named). */
export async function getPromotionPolicy(user: CurrentUser, modelName: string | undefined): Promise<GatePolicy> {
  assertCan(user, "promotions:read");
  return modelName ? policyFor(getDb(), modelName) : defaultPolicy;
}
