import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { createTrafficSource, type ServedService } from "../kserve/traffic-source";
import type { SandboxContext } from "../lib/context";
import type { SandboxSystem } from "../systems";
import { ExecutionError } from "./evaluate";
import { expositionContentType, renderExposition } from "./exposition";
import { buildCloudEvents, EventPoster } from "./payloads";
import { matches, parsePromQL, PromQLError } from "./promql";
import { BadData, instantQuery, parseTime, rangeQuery } from "./query-api";
import { poisson, seededRandom } from "./sampling";
import { requestRateOf, TrafficGenerator, type RevisionOverride } from "./traffic";

/**
 * Prometheus with generated KServe traffic: a generator simulates requests per revision (history
 * backfilled at start, then live), and the HTTP API answers PromQL over those histograms. Admin
 * endpoints under /__sandbox/traffic inject latency, errors and feature drift per revision.
 */

const override = z.object({
  latencyFactor: z.number().positive().max(1000).optional(),
  extraLatencyMs: z.number().min(0).max(600_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  drift: z.record(z.string(), z.number().min(-100).max(100)).optional(),
  queueBacklog: z.number().int().min(0).max(10_000).optional(),
});

/** Environment knobs, read once at start (the sandbox's own, not Switchboard's config). */
const settingsSchema = z.object({
  SANDBOX_TRAFFIC_BACKFILL_DAYS: z.coerce.number().min(0).max(8).default(7),
  SANDBOX_TRAFFIC_SEED: z.coerce.number().int().default(20261126),
  SANDBOX_TRAFFIC_OVERRIDES: z
    .string()
    .optional()
    .transform((text) => z.record(z.string(), override).parse(text ? JSON.parse(text) : {})),
  SANDBOX_PAYLOAD_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0.02),
});

const fail = (reply: FastifyReply, status: number, errorType: string, error: string) =>
  reply.code(status).send({ status: "error", errorType, error });

/** Form values win over the URL's, as with Go's r.FormValue. */
const paramsOf = (request: FastifyRequest): Record<string, string | undefined> => {
  const merged: Record<string, unknown> = {
    ...(request.query as object),
    ...((request.body as object | undefined) ?? {}),
  };
  return Object.fromEntries(
    Object.entries(merged).map(([k, v]) => [
      k,
      Array.isArray(v) ? String(v[0]) : v === undefined ? undefined : String(v),
    ]),
  );
};

async function register(app: FastifyInstance, context: SandboxContext) {
  const settings = settingsSchema.parse(process.env);
  const source = createTrafficSource(context.pool, context.speed);
  const loggers = new Map<string, ServedService>();
  const random = seededRandom(settings.SANDBOX_TRAFFIC_SEED + 1);
  const poster = context.ingestUrl
    ? new EventPoster(context.ingestUrl, context.ingestSecret, (error) =>
        context.log.debug({ err: error }, "payload ingest unreachable; pausing payload events"),
      )
    : undefined;

  const generator = new TrafficGenerator(settings.SANDBOX_TRAFFIC_SEED, {
    onRequests(target, successful) {
      const service = loggers.get(`${target.namespace}/${target.service}`);
      if (!poster || !service?.logger || !poster.isAvailable) return;
      const sampled = Math.min(5, poisson(successful * settings.SANDBOX_PAYLOAD_SAMPLE_RATE, random));
      for (let i = 0; i < sampled; i++) {
        poster.enqueue(
          buildCloudEvents(
            {
              namespace: target.namespace,
              service: target.service,
              revision: target.revision,
              endpoint: target.endpoint,
              mode: service.logger.mode,
              drift: generator.overrides.get(target.revision)?.drift ?? {},
            },
            random,
          ),
        );
      }
    },
  });
  for (const [revision, value] of Object.entries(settings.SANDBOX_TRAFFIC_OVERRIDES))
    generator.overrides.set(revision, value);

  const nowSeconds = () => Date.now() / 1000;
  const services = await source.current();
  generator.backfill(
    nowSeconds(),
    settings.SANDBOX_TRAFFIC_BACKFILL_DAYS,
    await source.history(Date.now() - settings.SANDBOX_TRAFFIC_BACKFILL_DAYS * 86_400_000),
    services,
  );

  let advancing: Promise<void> | undefined;
  /** Generates up to now; concurrent callers share one run. */
  const advance = () =>
    (advancing ??= (async () => {
      try {
        const current = await source.current();
        loggers.clear();
        for (const service of current) loggers.set(`${service.namespace}/${service.name}`, service);
        generator.advance(nowSeconds(), current);
      } finally {
        advancing = undefined;
      }
    })());

  // At speed 1 one slot per tick; faster sandboxes tick more often so injected faults show quickly.
  const tickMs = Math.min(15_000, Math.max(1000, 15_000 / context.speed));
  const timer = setInterval(
    () => advance().catch((error) => context.log.warn({ err: error }, "traffic generation failed")),
    tickMs,
  );
  timer.unref();
  app.addHook("onClose", async () => {
    clearInterval(timer);
    // A tick in flight still reads the database: let it finish before the pool closes.
    await advancing?.catch(() => undefined);
  });

  const sourceForQuery = () => ({ refs: () => generator.refs(), generatedUntil: generator.generatedUntil });

  const answer = async (request: FastifyRequest, reply: FastifyReply, kind: "query" | "range") => {
    try {
      const params = paramsOf(request);
      const data =
        kind === "range"
          ? rangeQuery(params, sourceForQuery())
          : instantQuery(params, sourceForQuery(), nowSeconds());
      return reply.send({ status: "success", data });
    } catch (error) {
      if (error instanceof BadData) return fail(reply, 400, "bad_data", error.message);
      if (error instanceof ExecutionError) return fail(reply, 422, "execution", error.message);
      throw error;
    }
  };

  // GET|POST /api/v1/query_range – PromQL over a time range
  app.get("/api/v1/query_range", (request, reply) => answer(request, reply, "range"));
  app.post("/api/v1/query_range", (request, reply) => answer(request, reply, "range"));
  // GET|POST /api/v1/query – PromQL at one instant
  app.get("/api/v1/query", (request, reply) => answer(request, reply, "query"));
  app.post("/api/v1/query", (request, reply) => answer(request, reply, "query"));

  // GET /api/v1/label/:name/values – e.g. the revisions Prometheus knows
  app.get<{ Params: { name: string } }>("/api/v1/label/:name/values", async (request, reply) => {
    const raw = (request.query as Record<string, string | string[] | undefined>)["match[]"];
    let selectors: Array<(labels: Record<string, string>) => boolean> = [];
    try {
      selectors = (Array.isArray(raw) ? raw : raw ? [raw] : []).map((text) => {
        const expr = parsePromQL(text);
        if (expr.kind !== "selector" || expr.rangeSeconds !== undefined)
          throw new PromQLError(`1:1: parse error: expected vector selector`);
        const matchers = expr.name
          ? [{ name: "__name__", op: "=" as const, value: expr.name }, ...expr.matchers]
          : expr.matchers;
        return (labels) => matchers.every((m) => matches(m, labels[m.name] ?? ""));
      });
    } catch (error) {
      if (error instanceof PromQLError)
        return fail(reply, 400, "bad_data", `invalid parameter "match[]": ${error.message}`);
      throw error;
    }
    const values = new Set<string>();
    for (const ref of generator.refs()) {
      if (selectors.length && !selectors.some((s) => s(ref.labels))) continue;
      const value = ref.labels[request.params.name];
      if (value) values.add(value);
    }
    return { status: "success", data: [...values].sort() };
  });

  // GET /metrics – the generated traffic as the queue-proxy and model server expose it, for a real Prometheus to scrape
  app.get("/metrics", async (_request, reply) => {
    await advance();
    return reply
      .type(expositionContentType)
      .send(renderExposition(generator.refs(), generator.generatedUntil));
  });

  app.get("/api/v1/status/buildinfo", async () => ({
    status: "success",
    data: {
      version: "2.53.0",
      revision: "sandbox",
      branch: "HEAD",
      buildUser: "switchboard",
      buildDate: "20260101-00:00:00",
      goVersion: "go1.22.4",
    },
  }));

  // GET /__sandbox/traffic – generator state: revisions, their load and injected faults
  app.get("/__sandbox/traffic", async () => {
    await advance();
    return {
      generatedUntil: generator.generatedUntil,
      tickSeconds: tickMs / 1000,
      revisions: generator.revisions().map((series) => ({
        ...series.identity,
        requestsPerSecond: requestRateOf(series.identity.service),
        override: generator.overrides.get(series.identity.revision) ?? null,
      })),
      payloads: poster
        ? { url: context.ingestUrl, delivered: poster.delivered, failed: poster.failed }
        : null,
    };
  });

  // PUT /__sandbox/traffic/revisions/:revision – merge an override (latency, error rate, drift)
  app.put<{ Params: { revision: string } }>(
    "/__sandbox/traffic/revisions/:revision",
    async (request, reply) => {
      const parsed = override.strict().safeParse(request.body);
      if (!parsed.success)
        return reply.code(400).send({
          error_code: "INVALID_PARAMETER_VALUE",
          message: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        });
      await advance(); // traffic so far keeps the old behaviour; the override applies from now
      const merged: RevisionOverride = {
        ...generator.overrides.get(request.params.revision),
        ...parsed.data,
      };
      generator.overrides.set(request.params.revision, merged);
      return { revision: request.params.revision, override: merged, effectiveFrom: generator.generatedUntil };
    },
  );

  app.delete<{ Params: { revision: string } }>("/__sandbox/traffic/revisions/:revision", async (request) => {
    await advance();
    generator.overrides.delete(request.params.revision);
    return { revision: request.params.revision, override: null, effectiveFrom: generator.generatedUntil };
  });

  // POST /__sandbox/traffic/advance – generate up to now, so a test reads fresh data
  app.post("/__sandbox/traffic/advance", async () => {
    await advance();
    return { generatedUntil: generator.generatedUntil };
  });

  // GET /__sandbox/traffic/counts?revision=&start=&end=&resolution=fine|coarse – the raw generated counts
  app.get("/__sandbox/traffic/counts", async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    try {
      if (!query.revision) throw new BadData("revision is required");
      const end = query.end ? parseTime(query.end, "end") : generator.generatedUntil;
      const start = query.start ? parseTime(query.start, "start") : end - 3600;
      const counts = generator.counts(
        query.revision,
        query.namespace,
        start,
        end,
        query.resolution === "coarse" ? "coarse" : "fine",
      );
      if (!counts)
        return reply.code(404).send({
          error_code: "RESOURCE_DOES_NOT_EXIST",
          message: `No generated traffic for revision ${query.revision}`,
        });
      return counts;
    } catch (error) {
      if (error instanceof BadData)
        return reply.code(400).send({ error_code: "INVALID_PARAMETER_VALUE", message: error.message });
      throw error;
    }
  });
}

export const system: SandboxSystem = { name: "prometheus", register };
