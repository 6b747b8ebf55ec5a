import { createHash } from "node:crypto";

/**
 * The emulated KServe + Knative controller, as a pure function of stored state and time: status is
 * derived from timestamps, so reconciling late (after a restart, or a slow timer) gives the same
 * status and the same traffic history as reconciling on time.
 * Follows kserve/kserve ksvc_reconciler.go (traffic targets) and inference_service_status.go
 * (PropagateStatus: rolled-out revision tracking, conditions, model status).
 */

export type Json = Record<string, unknown>;

export interface Revision {
  name: string;
  number: number;
  createdAt: string;
  /** When loading finishes: the revision becomes Ready, or Failed when its model cannot load. */
  settlesAt: string;
  state: "Loading" | "Ready" | "Failed";
  willFail: boolean;
  templateHash: string;
  storageUri?: string;
  modelFormat?: string;
  failureMessage?: string;
}

export interface TrafficTarget {
  tag?: string;
  revisionName: string;
  latestRevision: boolean;
  percent: number;
  url?: string;
}

export interface ControllerState {
  observedGeneration: number;
  revisions: Revision[];
  latestRolledoutRevision?: string;
  previousRolledoutRevision?: string;
  traffic: TrafficTarget[];
}

export interface ServiceRecord {
  namespace: string;
  name: string;
  generation: number;
  annotations: Record<string, string>;
  spec: Json;
  /** When the current generation was written. */
  specChangedAt: string;
  controller: ControllerState;
  status: Json;
}

export interface TrafficChange {
  at: string;
  split: Array<{ revisionName: string; percent: number }>;
}

export interface ControllerTiming {
  /** Seconds (already divided by speed) before the controller notices a new generation. */
  acceptSeconds: number;
  /** Seconds for a new revision's pods and model to load, by model format. */
  loadSeconds(modelFormat: string | undefined): number;
}

export const emptyController = (): ControllerState => ({ observedGeneration: 0, revisions: [], traffic: [] });

/** Storage URIs that cannot load, so tests and demos can provoke BlockedByFailedLoad. */
const failingStorage = /broken|corrupt|does-not-exist/i;

const predictorOf = (spec: Json): Json => (spec.predictor as Json | undefined) ?? {};
const modelOf = (spec: Json): Json => (predictorOf(spec).model as Json | undefined) ?? {};

export function canaryPercentOf(spec: Json): number | undefined {
  const value = predictorOf(spec).canaryTrafficPercent;
  return typeof value === "number" ? value : undefined;
}

/** The revision template: everything in the predictor except the traffic split. */
function templateHash(spec: Json): string {
  const { canaryTrafficPercent: _canary, ...template } = predictorOf(spec);
  return createHash("sha256").update(stableJson(template)).digest("hex").slice(0, 16);
}

export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Json)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export const revisionName = (service: string, number: number) =>
  `${service}-predictor-${String(number).padStart(5, "0")}`;

const plusSeconds = (iso: string, seconds: number) =>
  new Date(Date.parse(iso) + seconds * 1000).toISOString();

const isTagRouting = (record: ServiceRecord) =>
  record.annotations["serving.kserve.io/enable-tag-routing"] === "true";

const domainOf = (record: ServiceRecord) => `${record.namespace}.example.com`;

/** ksvc_reconciler.go: which revisions the route sends traffic to, given the spec and rollout history. */
function desiredTraffic(record: ServiceRecord, state: ControllerState): TrafficTarget[] {
  const latestReady = [...state.revisions].reverse().find((r) => r.state === "Ready");
  if (!latestReady) return [];
  const canary = canaryPercentOf(record.spec);
  let lastRolledout = state.latestRolledoutRevision;
  // Rolled out at 100% and then rolled back: send the rest to the revision rolled out before it.
  // (Only once no newer revision is pending or failed, or a failed canary would revive an old one.)
  const isLatestCreatedReady = state.revisions.at(-1) === latestReady;
  if (isLatestCreatedReady && lastRolledout === latestReady.name && canary !== undefined && canary < 100)
    lastRolledout = state.previousRolledoutRevision;
  const host = `${record.name}-predictor.${domainOf(record)}`;
  const latestTarget: TrafficTarget = { revisionName: latestReady.name, latestRevision: true, percent: 100 };
  if (canary !== undefined && lastRolledout) {
    const targets: TrafficTarget[] = [{ ...latestTarget, percent: canary }];
    if (canary < 100)
      targets.push({
        tag: "prev",
        revisionName: lastRolledout,
        latestRevision: false,
        percent: 100 - canary,
        url: `http://prev-${host}`,
      });
    if (isTagRouting(record)) Object.assign(targets[0], { tag: "latest", url: `http://latest-${host}` });
    return targets;
  }
  return [
    isTagRouting(record) ? { ...latestTarget, tag: "latest", url: `http://latest-${host}` } : latestTarget,
  ];
}

/** inference_service_status.go PropagateStatus: remember the last revision that took 100%. */
function trackRollout(state: ControllerState) {
  const latestTarget = state.traffic.find((t) => t.latestRevision);
  if (
    latestTarget &&
    latestTarget.percent === 100 &&
    state.latestRolledoutRevision !== latestTarget.revisionName
  ) {
    state.previousRolledoutRevision = state.latestRolledoutRevision;
    state.latestRolledoutRevision = latestTarget.revisionName;
  }
}

const sameTraffic = (a: TrafficTarget[], b: TrafficTarget[]) => stableJson(a) === stableJson(b);

/**
 * Advances one service to `now`: accepts a new generation (creating a revision when the template
 * changed), settles loading revisions, recomputes traffic and status. Returns the traffic changes
 * with the simulated time they happened, for the traffic generator's history.
 */
export function reconcile(
  record: ServiceRecord,
  now: Date,
  timing: ControllerTiming,
): { record: ServiceRecord; trafficChanges: TrafficChange[]; nextDueAt?: string } {
  const state: ControllerState = structuredClone(record.controller);
  const trafficChanges: TrafficChange[] = [];
  const nowIso = now.toISOString();
  let lastEventAt: string | undefined;

  const applyTraffic = (at: string) => {
    const traffic = desiredTraffic(record, state);
    if (!sameTraffic(traffic, state.traffic)) {
      state.traffic = traffic;
      trafficChanges.push({
        at,
        split: traffic.map((t) => ({ revisionName: t.revisionName, percent: t.percent })),
      });
    }
    trackRollout(state);
  };

  // Process events in the order they happened, so a late reconcile replays them faithfully.
  for (;;) {
    const acceptAt =
      state.observedGeneration < record.generation
        ? plusSeconds(record.specChangedAt, timing.acceptSeconds)
        : undefined;
    const settling = state.revisions
      .filter((r) => r.state === "Loading")
      .sort((a, b) => a.settlesAt.localeCompare(b.settlesAt))[0];
    const candidates = [acceptAt, settling?.settlesAt]
      .filter((t): t is string => t !== undefined && t <= nowIso)
      .sort();
    const at = candidates[0];
    if (!at) break;
    lastEventAt = at;
    if (at === acceptAt) {
      state.observedGeneration = record.generation;
      const hash = templateHash(record.spec);
      const latest = state.revisions.at(-1);
      if (!latest || latest.templateHash !== hash) {
        const model = modelOf(record.spec);
        const modelFormat = (model.modelFormat as Json | undefined)?.name as string | undefined;
        const storageUri = model.storageUri as string | undefined;
        const number = (latest?.number ?? 0) + 1;
        state.revisions.push({
          name: revisionName(record.name, number),
          number,
          createdAt: at,
          settlesAt: plusSeconds(at, timing.loadSeconds(modelFormat)),
          state: "Loading",
          willFail: failingStorage.test(storageUri ?? ""),
          templateHash: hash,
          storageUri,
          modelFormat,
        });
      }
    } else {
      settling.state = settling.willFail ? "Failed" : "Ready";
      if (settling.willFail)
        settling.failureMessage = `failed to download model from ${settling.storageUri}: object not found`;
    }
    applyTraffic(at);
  }

  const status = buildStatus(record, state, lastEventAt);
  const nextDue = [
    state.observedGeneration < record.generation
      ? plusSeconds(record.specChangedAt, timing.acceptSeconds)
      : undefined,
    ...state.revisions.filter((r) => r.state === "Loading").map((r) => r.settlesAt),
  ]
    .filter((t): t is string => t !== undefined)
    .sort()[0];
  return { record: { ...record, controller: state, status }, trafficChanges, nextDueAt: nextDue };
}

/** metav1.Time serialises to whole seconds. */
export const kubernetesTime = (iso: string) => iso.replace(/\.\d+Z$/, "Z");

interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime: string;
}

function buildStatus(record: ServiceRecord, state: ControllerState, eventAt: string | undefined): Json {
  if (state.observedGeneration === 0) return record.status;
  const previous = new Map(
    ((record.status.conditions as Condition[] | undefined) ?? []).map((c) => [c.type, c]),
  );
  const at = kubernetesTime(eventAt ?? new Date().toISOString());
  const condition = (type: string, value: Omit<Condition, "type" | "lastTransitionTime">): Condition => {
    const before = previous.get(type);
    const unchanged = before && before.status === value.status && before.reason === value.reason;
    return { type, ...value, lastTransitionTime: unchanged ? before.lastTransitionTime : at };
  };

  const latestCreated = state.revisions.at(-1);
  const latestReady = [...state.revisions].reverse().find((r) => r.state === "Ready");
  const configurationName = `${record.name}-predictor`;
  const predictor: Omit<Condition, "type" | "lastTransitionTime"> =
    latestCreated?.state === "Ready"
      ? { status: "True" }
      : latestCreated?.state === "Failed"
        ? {
            status: "False",
            reason: "RevisionFailed",
            message: `Revision "${latestCreated.name}" failed with message: ${latestCreated.failureMessage}.`,
          }
        : {
            status: "Unknown",
            reason: "RevisionMissing",
            message: `Configuration "${configurationName}" is waiting for a Revision to become ready.`,
          };
  const ingress: Omit<Condition, "type" | "lastTransitionTime"> = latestReady
    ? { status: "True" }
    : latestCreated?.state === "Failed"
      ? {
          status: "False",
          reason: "RevisionMissing",
          message: `Configuration "${configurationName}" does not have any ready Revision.`,
        }
      : {
          status: "Unknown",
          reason: "RevisionMissing",
          message: `Configuration "${configurationName}" is waiting for a Revision to become ready.`,
        };
  const ready =
    predictor.status === "False"
      ? predictor
      : ingress.status === "False"
        ? ingress
        : predictor.status === "Unknown"
          ? predictor
          : ingress;
  const conditions = [
    condition("IngressReady", ingress),
    condition("LatestDeploymentReady", predictor),
    condition("PredictorConfigurationReady", predictor),
    condition("PredictorReady", predictor),
    condition("PredictorRouteReady", ingress),
    condition("Ready", ready),
    condition("RoutesReady", ingress),
  ];

  const host = `${record.name}.${domainOf(record)}`;
  const predictorHost = `${record.name}-predictor.${domainOf(record)}`;
  const transitionStatus =
    latestCreated?.state === "Ready"
      ? "UpToDate"
      : latestCreated?.state === "Failed"
        ? "BlockedByFailedLoad"
        : "InProgress";
  const modelStatus: Json = {
    transitionStatus,
    states: {
      activeModelState: latestReady ? "Loaded" : "Pending",
      targetModelState:
        latestCreated?.state === "Ready"
          ? "Loaded"
          : latestCreated?.state === "Failed"
            ? "FailedToLoad"
            : "Loading",
    },
    copies: {
      failedCopies: latestCreated?.state === "Failed" ? 1 : 0,
      totalCopies: latestReady ? Math.max(1, Number(predictorOf(record.spec).minReplicas ?? 1)) : 0,
    },
  };
  if (latestCreated?.state === "Failed") {
    modelStatus.lastFailureInfo = {
      reason: "ModelLoadFailed",
      message: latestCreated.failureMessage,
      modelRevisionName: latestCreated.name,
      location: `${latestCreated.name}-deployment`,
      exitCode: 1,
      time: kubernetesTime(latestCreated.settlesAt),
    };
  }
  const components: Json = {
    predictor: {
      ...(latestReady
        ? {
            url: `http://${predictorHost}`,
            restUrl: `http://${predictorHost}`,
            address: { url: `http://${record.name}-predictor.${record.namespace}.svc.cluster.local` },
          }
        : {}),
      latestCreatedRevision: latestCreated?.name,
      latestReadyRevision: latestReady?.name,
      latestRolledoutRevision: state.latestRolledoutRevision,
      previousRolledoutRevision: state.previousRolledoutRevision,
      traffic: state.traffic,
    },
  };
  return {
    observedGeneration: state.observedGeneration,
    conditions,
    ...(latestReady
      ? {
          url: `http://${host}`,
          address: { url: `http://${record.name}.${record.namespace}.svc.cluster.local` },
        }
      : {}),
    components: JSON.parse(JSON.stringify(components)),
    modelStatus,
    deploymentMode: "Serverless",
  };
}
