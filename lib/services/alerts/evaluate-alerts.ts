import { summariseService, type InferenceService, type KServeClient } from "@/lib/clients/kserve";
import {
  fleetQueueSizeQuery,
  fleetTtftP95Query,
  llmQuerySets,
  type MetricScheme,
  type PrometheusClient,
} from "@/lib/clients/prometheus";
import type { AlertKind, Prisma, PrismaClient } from "@/lib/db/client";
import { servedModelOf } from "@/lib/domain/rollout/serving-map";
import { fleetQuery, fleetRequestCountQuery, indexInstant } from "@/lib/domain/monitoring/fleet-metrics";
import { llmRuntimeOf, unsupportedAlertKind, type LlmRuntime } from "@/lib/domain/monitoring/llm-serving";
import { latestDriftShares } from "@/lib/services/monitoring/drift-shares";
import {
  defaultLlmRules,
  defaultRules,
  describeBreach,
  ruleKinds,
  isBreaching,
  isSilencedAt,
  nextAlertTransition,
  notificationFor,
  type AlertNotificationEvent,
  type OpenAlertState,
  type RuleSpec,
} from "@/lib/domain/alerts/state-machine";

/**
 * One pass of the scheduled alert evaluation over every enabled rule of a namespace: a handful of
 * Prometheus queries for all services together, then every transition written in one transaction
 * under an advisory lock. A second worker running the same pass at the same time skips it, and a
 * repeated pass finds the state already moved, so it is idempotent. Firing and resolved alerts get
 * an AlertNotification row in the same transaction; the caller enqueues their delivery.
 */

export interface EvaluateAlertsDeps {
  db: PrismaClient;
  kserve: Pick<KServeClient, "list">;
  prometheus: Pick<PrometheusClient, "query">;
  scheme: MetricScheme;
  namespace: string;
  now?: () => Date;
}

export interface EvaluationSummary {
  skipped: boolean;
  /** Default rules this pass created for services seen for the first time. */
  seeded: number;
  rules: number;
  opened: number;
  fired: number;
  resolved: number;
  queries: number;
  /** AlertNotification rows this pass wrote, for the caller to enqueue. */
  notificationIds: string[];
}

/** rate() window for alerting: short enough that a rollback shows within a minute, 4 scrapes of 15 s. */
export const alertingWindow = "1m";

const openStates: OpenAlertState[] = ["PENDING", "FIRING", "ACKNOWLEDGED"];
const evaluationLock = "monitoring.evaluate-alerts";

interface Observed {
  value: number | null;
  revisionName: string | null;
}

/** The worst revision's value (knative), or the service's own (kserve scheme, no revisions). */
function worstOf(values: Map<string, number | null>, service: string): Observed {
  let worst: Observed = { value: null, revisionName: null };
  for (const [key, value] of values) {
    const [name, revision] = key.split("/");
    if (name !== service || value === null) continue;
    if (worst.value === null || value > worst.value) worst = { value, revisionName: revision ?? null };
  }
  return worst;
}

export async function evaluateAlerts(deps: EvaluateAlertsDeps): Promise<EvaluationSummary> {
  const { db, namespace, scheme } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const services = await deps.kserve.list({ namespace });
  const unseeded = await servicesNeverSeeded(
    db,
    namespace,
    services.map((s) => s.metadata.name),
  );
  let queries = 0;
  let seeded = 0;
  const llmRuntimes = new Map<string, LlmRuntime>();
  for (const service of services) {
    const runtime = llmRuntimeOf(summariseService(service).model);
    if (runtime) llmRuntimes.set(service.metadata.name, runtime);
  }
  if (unseeded.length) {
    queries += 1;
    const baseline = indexInstant(
      await deps.prometheus.query({
        query: fleetQuery("p95", { namespace, scheme, window: "1d" })!,
        time: now,
      }),
      scheme,
    );
    seeded = await seedDefaultRules(db, namespace, unseeded, baseline, llmRuntimes);
  }

  const rules = await db.alertRule.findMany({
    where: {
      namespace,
      isEnabled: true,
      kind: { in: [...ruleKinds] },
      serviceName: { in: services.map((s) => s.metadata.name) },
    },
    select: { id: true, serviceName: true, kind: true, threshold: true, forMinutes: true },
  });
  const kinds = new Set<AlertKind>(rules.map((r) => r.kind));
  const instant = async (query: string | undefined) => {
    if (!query) return new Map<string, number | null>();
    queries += 1;
    return indexInstant(await deps.prometheus.query({ query, time: now }), scheme);
  };
  const [latency, errors, drift] = await Promise.all([
    kinds.has("LATENCY_P95")
      ? instant(fleetQuery("p95", { namespace, scheme, window: alertingWindow, byRevision: true }))
      : new Map<string, number | null>(),
    kinds.has("ERROR_RATE")
      ? instant(fleetQuery("errorShare", { namespace, scheme, window: alertingWindow, byRevision: true }))
      : new Map<string, number | null>(),
    kinds.has("DRIFT_SHARE")
      ? latestDriftShares(db, namespace, now.getTime())
      : new Map<string, { share: number }>(),
  ]);
  // vLLM's series carry the InferenceService name as model_name, whatever the serving metric scheme.
  const byModelName = async (query: string, scale: number) => {
    queries += 1;
    const values = new Map<string, number | null>();
    for (const sample of await deps.prometheus.query({ query, time: now }))
      if (sample.metric.model_name)
        values.set(sample.metric.model_name, Number.isFinite(sample.value) ? sample.value * scale : null);
    return values;
  };
  // TGI's series have no model name: one query per TGI service watched, by its predictor pods.
  const tgiQueues = async () => {
    const names = rules
      .filter((r) => r.kind === "LLM_QUEUE_SIZE" && llmRuntimes.get(r.serviceName) === "tgi")
      .map((r) => r.serviceName);
    return new Map(
      await Promise.all(
        [...new Set(names)].map(async (service) => {
          queries += 1;
          const query = llmQuerySets.tgi.queueSize({ namespace, service });
          const [sample] = await deps.prometheus.query({ query, time: now });
          return [service, sample && Number.isFinite(sample.value) ? sample.value : null] as const;
        }),
      ),
    );
  };
  const [ttft, queue, tgiQueue] = await Promise.all([
    kinds.has("LLM_TTFT_P95")
      ? byModelName(fleetTtftP95Query(namespace, alertingWindow), 1000)
      : new Map<string, number | null>(),
    kinds.has("LLM_QUEUE_SIZE")
      ? byModelName(fleetQueueSizeQuery(namespace), 1)
      : new Map<string, number | null>(),
    kinds.has("LLM_QUEUE_SIZE") ? tgiQueues() : new Map<string, number | null>(),
  ]);
  const noDataMinutes = [
    ...new Set(rules.filter((r) => r.kind === "NO_DATA").map((r) => Math.max(1, Math.round(r.threshold)))),
  ];
  const requestCounts = new Map(
    await Promise.all(
      noDataMinutes.map(
        async (minutes) =>
          [minutes, await instant(fleetRequestCountQuery({ namespace, scheme, minutes }))] as const,
      ),
    ),
  );

  const byName = new Map(services.map((s) => [s.metadata.name, s]));
  const observe = (rule: (typeof rules)[number]): Observed => {
    if (rule.kind === "LATENCY_P95") return worstOf(latency, rule.serviceName);
    if (rule.kind === "ERROR_RATE") return worstOf(errors, rule.serviceName);
    if (rule.kind === "DRIFT_SHARE")
      return { value: drift.get(rule.serviceName)?.share ?? null, revisionName: null };
    // A rule the service's runtime cannot support (TTFT on TGI) observes nothing: it never breaches.
    if (rule.kind === "LLM_TTFT_P95")
      return {
        value: llmRuntimes.get(rule.serviceName) === "vllm" ? (ttft.get(rule.serviceName) ?? null) : null,
        revisionName: null,
      };
    if (rule.kind === "LLM_QUEUE_SIZE")
      return {
        value: (llmRuntimes.get(rule.serviceName) === "tgi" ? tgiQueue : queue).get(rule.serviceName) ?? null,
        revisionName: null,
      };
    return {
      value: requestCounts.get(Math.max(1, Math.round(rule.threshold)))?.get(rule.serviceName) ?? null,
      revisionName: null,
    };
  };
  const observations = new Map(rules.map((rule) => [rule.id, observe(rule)]));
  const versions = await modelVersionsOf(
    db,
    namespace,
    byName,
    [...observations.values()].map((o) => o.revisionName),
  );

  const summary: EvaluationSummary = {
    skipped: false,
    seeded,
    rules: rules.length,
    opened: 0,
    fired: 0,
    resolved: 0,
    queries,
    notificationIds: [],
  };
  const isLocked = await db.$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<
        [{ locked: boolean }]
      >`SELECT pg_try_advisory_xact_lock(hashtext(${evaluationLock})) AS locked`;
      if (!locked) return false;
      const open = await tx.alert.findMany({
        where: { ruleId: { in: rules.map((r) => r.id) }, state: { in: openStates } },
        orderBy: { pendingSince: "desc" },
        select: { id: true, ruleId: true, state: true, pendingSince: true },
      });
      const silences = await tx.alertSilence.findMany({
        where: { namespace, endsAt: { gt: now }, startsAt: { lte: now } },
        select: { serviceName: true, startsAt: true, endsAt: true },
      });
      const notify = async (alertId: string, event: AlertNotificationEvent) => {
        if (event === "RESOLVED") {
          // A resolution is news only where the firing was (or is being) announced, not where a silence swallowed it.
          const firing = await tx.alertNotification.findUnique({
            where: { alertId_event: { alertId, event: "FIRING" } },
            select: { inboxSentAt: true, webhookSentAt: true, completedAt: true },
          });
          if (!firing || (firing.completedAt && !firing.inboxSentAt && !firing.webhookSentAt)) return;
        }
        const row = await tx.alertNotification.upsert({
          where: { alertId_event: { alertId, event } },
          create: { alertId, event },
          update: {},
          select: { id: true },
        });
        summary.notificationIds.push(row.id);
      };
      const openByRule = new Map<string, (typeof open)[number]>();
      for (const alert of open) {
        // Only one alert per rule may be open; an extra one (a crash between writes) is closed.
        if (openByRule.has(alert.ruleId))
          await tx.alert.update({ where: { id: alert.id }, data: { state: "RESOLVED", resolvedAt: now } });
        else openByRule.set(alert.ruleId, alert);
      }
      for (const rule of rules) {
        const observed = observations.get(rule.id)!;
        const current = openByRule.get(rule.id) ?? null;
        const isSilenced = isSilencedAt(
          silences
            .filter((s) => s.serviceName === rule.serviceName)
            .map((s) => ({ startsAt: s.startsAt.getTime(), endsAt: s.endsAt.getTime() })),
          now.getTime(),
        );
        const transition = nextAlertTransition({
          rule,
          open: current && {
            state: current.state as OpenAlertState,
            pendingSince: current.pendingSince.getTime(),
          },
          isBreaching: isBreaching(rule, observed),
          isSilenced,
          now: now.getTime(),
        });
        const event = notificationFor(
          transition,
          current && { state: current.state as OpenAlertState, pendingSince: current.pendingSince.getTime() },
          isSilenced,
        );
        const details = {
          value: observed.value,
          summary: describeBreach(rule, observed.value, observed.revisionName),
          ...(observed.revisionName ? { revisionName: observed.revisionName } : {}),
        };
        if (transition.type === "open") {
          const created = await tx.alert.create({
            data: {
              ruleId: rule.id,
              state: transition.state,
              ...details,
              modelVersion: versions.get(`${rule.serviceName}/${observed.revisionName ?? ""}`) ?? null,
              pendingSince: new Date(transition.pendingSince),
              firedAt: transition.firedAt === null ? null : new Date(transition.firedAt),
            },
            select: { id: true },
          });
          if (event) await notify(created.id, event);
          summary.opened += 1;
          if (transition.state === "FIRING") summary.fired += 1;
        } else if (transition.type === "fire") {
          await tx.alert.update({
            where: { id: current!.id },
            data: { ...details, state: "FIRING", firedAt: new Date(transition.firedAt) },
          });
          summary.fired += 1;
          if (event) await notify(current!.id, event);
        } else if (transition.type === "keep") {
          await tx.alert.update({ where: { id: current!.id }, data: details });
        } else if (transition.type === "resolve") {
          await tx.alert.update({
            where: { id: current!.id },
            data: { state: "RESOLVED", resolvedAt: new Date(transition.resolvedAt) },
          });
          summary.resolved += 1;
          if (event) await notify(current!.id, event);
        }
      }
      return true;
    },
    { timeout: 30_000 },
  );
  return isLocked ? summary : { ...summary, skipped: true };
}

/** Services whose defaults were never seeded; the rest keep whatever people made of their rules, none included. */
async function servicesNeverSeeded(
  db: Pick<PrismaClient, "alertRuleSeed">,
  namespace: string,
  serviceNames: string[],
): Promise<string[]> {
  if (!serviceNames.length) return [];
  const seeded = await db.alertRuleSeed.findMany({
    where: { namespace, serviceName: { in: serviceNames } },
    select: { serviceName: true },
  });
  const have = new Set(seeded.map((s) => s.serviceName));
  return serviceNames.filter((name) => !have.has(name));
}

/**
 * The default rules for each service never seeded before, written with its seed row in one
 * transaction. Only the pass whose seed row insert wins seeds a service (a concurrent one waits on
 * the row, then skips it), and a service someone gave rules by hand before its first pass is marked
 * seeded without defaults. A service whose normal p95 (last day) is already near 500 ms, such as
 * an LLM, gets twice its normal p95 instead, so it does not page from day one. LLM services
 * (`llmRuntimes`) also get the LLM rules their runtime supports: queue size always, time to first
 * token on vLLM only (TGI exports none).
 */
export async function seedDefaultRules(
  db: Pick<PrismaClient, "$transaction">,
  namespace: string,
  serviceNames: string[],
  baselineP95Ms: Map<string, number | null> = new Map(),
  llmRuntimes: ReadonlyMap<string, LlmRuntime> = new Map(),
): Promise<number> {
  if (!serviceNames.length) return 0;
  return db.$transaction(async (tx) => {
    const claimed = await tx.alertRuleSeed.createManyAndReturn({
      data: serviceNames.map((serviceName) => ({ namespace, serviceName })),
      skipDuplicates: true,
      select: { serviceName: true },
    });
    if (!claimed.length) return 0;
    const configured = await tx.alertRule.findMany({
      where: { namespace, serviceName: { in: claimed.map((c) => c.serviceName) } },
      distinct: ["serviceName"],
      select: { serviceName: true },
    });
    const hasRules = new Set(configured.map((r) => r.serviceName));
    const [defaults, llmDefaults] = await defaultsInForce(tx);
    const data: Prisma.AlertRuleCreateManyInput[] = claimed
      .filter(({ serviceName }) => !hasRules.has(serviceName))
      .flatMap(({ serviceName }) =>
        [
          ...defaults,
          ...llmDefaults.filter(
            (rule) =>
              llmRuntimes.has(serviceName) && !unsupportedAlertKind(rule.kind, llmRuntimes.get(serviceName)!),
          ),
        ].map((rule) => {
          const baseline = baselineP95Ms.get(serviceName);
          const threshold =
            rule.kind === "LATENCY_P95" && baseline
              ? Math.max(rule.threshold, Math.ceil((2 * baseline) / 100) * 100)
              : rule.threshold;
          return { namespace, serviceName, ...rule, threshold };
        }),
      );
    if (!data.length) return 0;
    const created = await tx.alertRule.createMany({ data, skipDuplicates: true });
    return created.count;
  });
}

/**
 * The defaults a new service gets, and an LLM service in addition: the admin's (alert_rule_defaults,
 * set on /admin/alerts) over the code's, kind by kind.
 */
export async function defaultsInForce(
  db: Pick<PrismaClient, "alertRuleDefault">,
): Promise<[RuleSpec[], RuleSpec[]]> {
  const saved = new Map(
    (await db.alertRuleDefault.findMany({ select: { kind: true, threshold: true, forMinutes: true } })).map(
      (row) => [row.kind, row],
    ),
  );
  const apply = (rules: ReadonlyArray<RuleSpec>) =>
    rules.map((rule) => {
      const set = saved.get(rule.kind);
      return set ? { kind: rule.kind, threshold: set.threshold, forMinutes: set.forMinutes } : rule;
    });
  return [apply(defaultRules), apply(defaultLlmRules)];
}

/**
 * The model version each revision serves: the spec's for the latest created revision, else the one
 * a recorded rollout gave it. Keys are `service/revision` (revision empty for service-wide rules).
 */
async function modelVersionsOf(
  db: Pick<PrismaClient, "deployment">,
  namespace: string,
  services: Map<string, InferenceService>,
  revisions: Array<string | null>,
): Promise<Map<string, string | null>> {
  const versions = new Map<string, string | null>();
  for (const [name, service] of services) {
    const served = servedModelOf(service, [name])?.version ?? null;
    versions.set(`${name}/`, served);
    const latest = summariseService(service).revisions.latestCreated;
    if (latest) versions.set(`${name}/${latest}`, served);
  }
  const unknown = revisions.filter(
    (r): r is string => r !== null && ![...versions.keys()].some((key) => key.endsWith(`/${r}`)),
  );
  if (unknown.length) {
    const rows = await db.deployment.findMany({
      where: { namespace, revisionName: { in: unknown }, modelVersion: { not: null } },
      orderBy: { createdAt: "desc" },
      select: { serviceName: true, revisionName: true, modelVersion: true },
    });
    for (const row of rows)
      if (!versions.has(`${row.serviceName}/${row.revisionName}`))
        versions.set(`${row.serviceName}/${row.revisionName}`, row.modelVersion);
  }
  return versions;
}
