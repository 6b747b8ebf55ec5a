import { AppError } from "@/lib/errors";
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
  "promotion.requested": (r, actor) => `${actor} requests promotion of ${r.modelName} v${r.version} to ${target(r)}`,
  "promotion.approved": (r, actor) => (r.status === "OPEN" ? `${actor} gave the first approval for ${r.modelName} v${r.version} → ${target(r)}; another officer must approve` : `${actor} approved ${r.modelName} v${r.version} → ${target(r)}`),
  "promotion.rejected": (r, actor) => `${actor} rejected ${r.modelName} v${r.version} → ${target(r)}`,
};
const target = (r: WebhookRequestInfo) => (r.targetStage ? `stage ${r.targetStage}` : `alias @${r.targetAlias}`);

/**
 * One JSON body both chat tools accept: Slack incoming webhooks read `text` (mrkdwn links), Teams
 * connectors read the MessageCard fields and ignore the rest, as Slack ignores Teams'.
 */
export function buildWebhookMessage(event: WebhookEvent, request: WebhookRequestInfo, appUrl: string) {
  const headline = (headlines[event.action] ?? ((r, actor) => `${actor}: ${event.action} on ${r.modelName} v${r.version}`))(request, event.actorName);
  const link = new URL(`/approvals/${event.entityId}`, appUrl).toString();
  const after = (event.after ?? {}) as { justification?: string; comment?: string };
  const note = after.comment ?? after.justification;
  return {
    text: `${headline}${note ? `: “${note}”` : ""} <${link}|Open in Switchboard>`,
    "@type": "MessageCard",
    "@context": "https://schema.org/extensions",
    summary: headline,
    title: headline,
    sections: [{ facts: [{ name: "Requested by", value: request.requesterName }, { name: "Status", value: request.status }, ...(note ? [{ name: "Note", value: note }] : [])] }],
    potentialAction: [{ "@type": "OpenUri", name: "Open in Switchboard", targets: [{ os: "default", uri: link }] }],
  };
}

/** 4xx other than 408/429 means the URL or payload is wrong: retrying cannot help. */
export async function postWebhook(url: string, message: unknown, options: { fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<void> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(message), signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  } catch (error) {
    throw new AppError("UNAVAILABLE", `The notification webhook did not answer: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  await response.body?.cancel();
  if (response.ok) return;
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw new AppError(retryable ? "UNAVAILABLE" : "BAD_REQUEST", `The notification webhook answered ${response.status}.`, { retryable });
}

// Posts new promotion requests and decisions to the team's chat; retried by the job's attempts.
export const notificationHandlers: Pick<HandlerRegistry<WorkerDeps>, "webhook.notify"> = {
  "webhook.notify": async ({ auditSeq }, { deps, log }) => {
    const url = deps.config.NOTIFY_WEBHOOK_URL;
    if (!url) return log.info("no NOTIFY_WEBHOOK_URL configured; nothing to post");
    const event = await deps.db.auditEvent.findUnique({ where: { seq: BigInt(auditSeq) }, select: { action: true, actorName: true, occurredAt: true, entityType: true, entityId: true, after: true } });
    if (!event || event.entityType !== "PromotionRequest") throw new AppError("NOT_FOUND", `Audit event ${auditSeq} is not a promotion event.`);
    const request = await deps.db.promotionRequest.findUnique({
      where: { id: event.entityId },
      select: { modelName: true, version: true, targetStage: true, targetAlias: true, status: true, requestedBy: { select: { name: true } } },
    });
    if (!request) throw new AppError("NOT_FOUND", `Promotion request ${event.entityId} no longer exists.`);
    // The status right after this event, not now: a later approval must not rewrite an earlier message.
    const statusThen = (event.after as { status?: string } | null)?.status ?? request.status;
    const message = buildWebhookMessage(event, { ...request, status: statusThen, requesterName: request.requestedBy.name }, deps.config.APP_URL);
    await postWebhook(url, message);
    log.info({ auditSeq, action: event.action }, "posted to the notification webhook");
  },
};
