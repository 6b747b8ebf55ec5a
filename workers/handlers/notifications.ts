import type { AlertKind } from "@/lib/db/client";
import { usersWhoCan } from "@/lib/db/users";
import {
  alertKindLabels,
  describeRule,
  type AlertNotificationEvent,
} from "@/lib/domain/alerts/state-machine";
import { AppError, isAppError } from "@/lib/errors";
import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";

export interface WebhookEvent {
  action: string;
  actorName: string;
  occurredAt: Date;
  entityId: string;
  after: unknown;
}

export interface WebhookRequestInfo {
  modelName: string;
  version: string;
  targetStage: string | null;
  targetAlias: string | null;
  status: string;
  requesterName: string;
}

const headlines: Record<string, (r: WebhookRequestInfo, actor: string) => string> = {
  "promotion.requested": (r, actor) =>
    `${actor} requests promotion of ${r.modelName} v${r.version} to ${target(r)}`,
  "promotion.approved": (r, actor) =>
    r.status === "OPEN"
      ? `${actor} gave the first approval for ${r.modelName} v${r.version} → ${target(r)}; another officer must approve`
      : `${actor} approved ${r.modelName} v${r.version} → ${target(r)}`,
  "promotion.rejected": (r, actor) => `${actor} rejected ${r.modelName} v${r.version} → ${target(r)}`,
};
const target = (r: WebhookRequestInfo) =>
  r.targetStage ? `stage ${r.targetStage}` : `alias @${r.targetAlias}`;

/**
 * One JSON body both chat tools accept: Slack incoming webhooks read `text` (mrkdwn links), Teams
 * connectors read the MessageCard fields and ignore the rest, as Slack ignores Teams'.
 */
export function buildWebhookMessage(event: WebhookEvent, request: WebhookRequestInfo, appUrl: string) {
  const headline = (
    headlines[event.action] ?? ((r, actor) => `${actor}: ${event.action} on ${r.modelName} v${r.version}`)
  )(request, event.actorName);
  const link = new URL(`/approvals/${event.entityId}`, appUrl).toString();
  const after = (event.after ?? {}) as { justification?: string; comment?: string };
  const note = after.comment ?? after.justification;
  return {
    text: `${headline}${note ? `: “${note}”` : ""} <${link}|Open in Switchboard>`,
    "@type": "MessageCard",
    "@context": "https://schema.org/extensions",
    summary: headline,
    title: headline,
    sections: [
      {
        facts: [
          { name: "Requested by", value: request.requesterName },
          { name: "Status", value: request.status },
          ...(note ? [{ name: "Note", value: note }] : []),
        ],
      },
    ],
    potentialAction: [
      { "@type": "OpenUri", name: "Open in Switchboard", targets: [{ os: "default", uri: link }] },
    ],
  };
}

/** 4xx other than 408/429 means the URL or payload is wrong: retrying cannot help. */
export async function postWebhook(
  url: string,
  message: unknown,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<void> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new AppError(
      "UNAVAILABLE",
      `The notification webhook did not answer: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  await response.body?.cancel();
  if (response.ok) return;
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw new AppError(
    retryable ? "UNAVAILABLE" : "BAD_REQUEST",
    `The notification webhook answered ${response.status}.`,
    { retryable },
  );
}

export interface AlertNotice {
  event: AlertNotificationEvent;
  summary: string;
  namespace: string;
  serviceName: string;
  rule: { kind: AlertKind; threshold: number; forMinutes: number };
  revisionName: string | null;
  modelVersion: string | null;
  firedAt: Date | null;
  resolvedAt: Date | null;
}

/** The job id of an alert notification's delivery: BullMQ keeps one job per id, so enqueuing again is harmless. */

const servicePath = (notice: AlertNotice) =>
  `/monitoring/${encodeURIComponent(notice.namespace)}/${encodeURIComponent(notice.serviceName)}`;

/** The inbox entry: "Firing: churn-classifier latency p95" with the breach, linking to the service page (its alerts and the Acknowledge button). */
export function buildAlertInboxEntry(notice: AlertNotice) {
  const kind = alertKindLabels[notice.rule.kind].toLowerCase();
  const minutes =
    notice.firedAt && notice.resolvedAt
      ? Math.max(1, Math.round((notice.resolvedAt.getTime() - notice.firedAt.getTime()) / 60_000))
      : null;
  return notice.event === "FIRING"
    ? {
        title: `Firing: ${notice.serviceName} ${kind}`,
        body: `${notice.summary} (rule: ${describeRule(notice.rule)}).`,
        link: servicePath(notice),
      }
    : {
        title: `Resolved: ${notice.serviceName} ${kind}`,
        body: `${describeRule(notice.rule)} no longer holds${minutes ? `, ${minutes} min after it fired` : ""}.`,
        link: servicePath(notice),
      };
}

/** Same two-tool body as promotions: Slack reads `text`, Teams the MessageCard, with links to the service and to the alerts. */
export function buildAlertWebhookMessage(notice: AlertNotice, appUrl: string) {
  const { title, body } = buildAlertInboxEntry(notice);
  const service = new URL(servicePath(notice), appUrl).toString();
  const alerts = new URL("/monitoring/alerts", appUrl).toString();
  const facts = [
    { name: "Service", value: `${notice.namespace}/${notice.serviceName}` },
    ...(notice.revisionName ? [{ name: "Revision", value: notice.revisionName }] : []),
    ...(notice.modelVersion ? [{ name: "Model version", value: notice.modelVersion }] : []),
    { name: "Rule", value: describeRule(notice.rule) },
  ];
  return {
    text: `${notice.event === "FIRING" ? ":rotating_light:" : ":white_check_mark:"} ${title}: ${body} <${service}|Open the service> · <${alerts}|All alerts>`,
    "@type": "MessageCard",
    "@context": "https://schema.org/extensions",
    themeColor: notice.event === "FIRING" ? "D13438" : "107C10",
    summary: title,
    title,
    sections: [{ text: body, facts }],
    potentialAction: [
      { "@type": "OpenUri", name: "Open the service", targets: [{ os: "default", uri: service }] },
      { "@type": "OpenUri", name: "All alerts", targets: [{ os: "default", uri: alerts }] },
    ],
  };
}

/**
 * Delivers one AlertNotification: the OnCall inbox, then the webhook. Each channel is marked sent
 * once (the inbox in the same transaction as its rows), so a retried or repeated job sends neither
 * twice; only a crash between the webhook's answer and its mark can post it again. A silence over
 * the service when the job runs ends it without sending.
 */
export async function deliverAlertNotification(
  deps: Pick<WorkerDeps, "db" | "config">,
  notificationId: string,
  options: { now?: Date; post?: typeof postWebhook } = {},
): Promise<{ outcome: string }> {
  const { db } = deps;
  const now = options.now ?? new Date();
  const row = await db.alertNotification.findUnique({
    where: { id: notificationId },
    select: {
      event: true,
      inboxSentAt: true,
      webhookSentAt: true,
      completedAt: true,
      alert: {
        select: {
          summary: true,
          revisionName: true,
          modelVersion: true,
          firedAt: true,
          resolvedAt: true,
          rule: {
            select: { namespace: true, serviceName: true, kind: true, threshold: true, forMinutes: true },
          },
        },
      },
    },
  });
  // Deleted with its rule: nothing left to tell.
  if (!row) return { outcome: "gone" };
  if (row.completedAt) return { outcome: "already done" };
  const { rule, ...alert } = row.alert;
  const notice: AlertNotice = {
    ...alert,
    event: row.event as AlertNotificationEvent,
    namespace: rule.namespace,
    serviceName: rule.serviceName,
    rule,
  };
  const complete = (outcome: string | null) =>
    db.alertNotification.update({ where: { id: notificationId }, data: { completedAt: now, outcome } });

  const silence = await db.alertSilence.findFirst({
    where: {
      namespace: rule.namespace,
      serviceName: rule.serviceName,
      startsAt: { lte: now },
      endsAt: { gt: now },
    },
    orderBy: { endsAt: "desc" },
    select: { endsAt: true },
  });
  if (silence) {
    const outcome = `not sent: the service is silenced until ${silence.endsAt.toISOString()}`;
    await complete(outcome);
    return { outcome };
  }

  if (!row.inboxSentAt) {
    await db.$transaction(async (tx) => {
      // Conditional on "not sent yet", so a concurrent delivery of the same row adds nothing.
      const claimed = await tx.alertNotification.updateMany({
        where: { id: notificationId, inboxSentAt: null },
        data: { inboxSentAt: now },
      });
      if (claimed.count !== 1) return;
      // The people who may acknowledge the alert are the ones told of it.
      const responders = await usersWhoCan(tx, "alerts:acknowledge");
      const entry = buildAlertInboxEntry(notice);
      if (responders.length)
        await tx.notification.createMany({ data: responders.map((userId) => ({ userId, ...entry })) });
    });
  }

  const url = deps.config.NOTIFY_WEBHOOK_URL;
  if (url && !row.webhookSentAt) {
    try {
      await (options.post ?? postWebhook)(url, buildAlertWebhookMessage(notice, deps.config.APP_URL));
    } catch (error) {
      if (isAppError(error) && !error.retryable) await complete(`the webhook refused it: ${error.message}`);
      throw error;
    }
    await db.alertNotification.update({ where: { id: notificationId }, data: { webhookSentAt: new Date() } });
  }
  const outcome = url ? "sent to the inbox and the webhook" : "sent to the inbox (no NOTIFY_WEBHOOK_URL)";
  await complete(url ? null : "no webhook configured");
  return { outcome };
}

// Posts new promotion requests and decisions to the team's chat, and tells on-call about alerts; retried by the job's attempts.
export const notificationHandlers: Pick<
  HandlerRegistry<WorkerDeps>,
  "webhook.notify" | "webhook.notify-alert"
> = {
  "webhook.notify": async ({ auditSeq }, { deps, log }) => {
    const url = deps.config.NOTIFY_WEBHOOK_URL;
    if (!url) return log.info("no NOTIFY_WEBHOOK_URL configured; nothing to post");
    const event = await deps.db.auditEvent.findUnique({
      where: { seq: BigInt(auditSeq) },
      select: {
        action: true,
        actorName: true,
        occurredAt: true,
        entityType: true,
        entityId: true,
        after: true,
      },
    });
    if (!event || event.entityType !== "PromotionRequest")
      throw new AppError("NOT_FOUND", `Audit event ${auditSeq} is not a promotion event.`);
    const request = await deps.db.promotionRequest.findUnique({
      where: { id: event.entityId },
      select: {
        modelName: true,
        version: true,
        targetStage: true,
        targetAlias: true,
        status: true,
        requestedBy: { select: { name: true } },
      },
    });
    if (!request) throw new AppError("NOT_FOUND", `Promotion request ${event.entityId} no longer exists.`);
    // The status right after this event, not now: a later approval must not rewrite an earlier message.
    const statusThen = (event.after as { status?: string } | null)?.status ?? request.status;
    const message = buildWebhookMessage(
      event,
      { ...request, status: statusThen, requesterName: request.requestedBy.name },
      deps.config.APP_URL,
    );
    await postWebhook(url, message);
    log.info({ auditSeq, action: event.action }, "posted to the notification webhook");
  },
  "webhook.notify-alert": async ({ notificationId }, { deps, log }) => {
    const { outcome } = await deliverAlertNotification(deps, notificationId);
    log.info({ notificationId, outcome }, "alert notification delivered");
  },
};
