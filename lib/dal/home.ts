import "server-only";
import { can } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb, type Prisma } from "@/lib/db/client";
import { promotionTargetLabel } from "@/lib/db/promotions";
import { serviceHref } from "@/lib/navigation";
import { listAlerts, type AlertDto } from "./alerts";
import { listRuns, type RunListItem } from "./runs";

/**
 * What a person's home page lists: only the sections their permissions open, each a short list
 * read straight from the database (no cloud call), so the page is fast and never blocked by one.
 * A section is null when the person may not see it, and an empty list when there is nothing.
 */
export interface HomeRequest {
  id: string;
  modelName: string;
  version: string;
  target: string;
  status: "OPEN" | "STALE";
  requestedBy: string;
  createdAt: string;
  gatesPassed: boolean;
  approvals: number;
  requiredApprovals: number;
}

export interface HomeFailure {
  kind: "run" | "deployment" | "promotion";
  id: string;
  title: string;
  detail: string | null;
  href: string;
  at: string;
}

export interface HomeView {
  /** Open requests someone else made that this person has not decided yet (promotions:decide). */
  awaitingMyDecision: HomeRequest[] | null;
  /** This person's open requests, waiting on officers (promotions:request). */
  myOpenRequests: HomeRequest[] | null;
  /** Firing or pending alerts (monitoring:read); `isPaged` when this person is the one to acknowledge. */
  alerts: { items: AlertDto[]; isPaged: boolean } | null;
  /** This person's runs, active first then newest (runs:launch). */
  myRuns: RunListItem[] | null;
  /** Runs, rollouts and promotions that failed in the last week (runs:read). */
  recentFailures: HomeFailure[] | null;
}

const listLimit = 6;
const failureWindowMs = 7 * 24 * 3_600_000;

const requestSelect = {
  id: true,
  modelName: true,
  version: true,
  targetStage: true,
  targetAlias: true,
  status: true,
  createdAt: true,
  gatesPassed: true,
  requiredApprovals: true,
  requestedBy: { select: { name: true } },
  decisions: { where: { decision: "APPROVE" }, select: { id: true } },
} satisfies Prisma.PromotionRequestSelect;

function toRequest(row: Prisma.PromotionRequestGetPayload<{ select: typeof requestSelect }>): HomeRequest {
  return {
    id: row.id,
    modelName: row.modelName,
    version: row.version,
    target: promotionTargetLabel(row),
    status: row.status as HomeRequest["status"],
    requestedBy: row.requestedBy.name,
    createdAt: row.createdAt.toISOString(),
    gatesPassed: row.gatesPassed,
    approvals: row.decisions.length,
    requiredApprovals: row.requiredApprovals,
  };
}

async function awaitingDecision(user: CurrentUser) {
  const rows = await getDb().promotionRequest.findMany({
    // Four-eyes: never the person's own requests; and not the ones they already decided.
    where: { status: "OPEN", requestedById: { not: user.id }, decisions: { none: { deciderId: user.id } } },
    orderBy: { createdAt: "asc" },
    take: listLimit,
    select: requestSelect,
  });
  return rows.map(toRequest);
}

async function myOpenRequests(user: CurrentUser) {
  const rows = await getDb().promotionRequest.findMany({
    where: { status: { in: ["OPEN", "STALE"] }, requestedById: user.id },
    orderBy: { createdAt: "desc" },
    take: listLimit,
    select: requestSelect,
  });
  return rows.map(toRequest);
}

async function openAlerts(user: CurrentUser) {
  const items = await listAlerts(user, { state: "open", limit: 50 });
  return {
    items: items.filter((a) => a.state === "FIRING" || a.state === "PENDING").slice(0, listLimit),
    isPaged: can(user, "alerts:acknowledge"),
  };
}

async function recentFailures(user: CurrentUser, now: Date): Promise<HomeFailure[]> {
  const since = new Date(now.getTime() - failureWindowMs);
  const db = getDb();
  const [runs, deployments, promotions] = await Promise.all([
    db.trainingRun.findMany({
      where: { status: { in: ["FAILED", "TIMED_OUT", "INTERNAL_ERROR"] }, finishedAt: { gte: since } },
      orderBy: { finishedAt: "desc" },
      take: listLimit,
      select: {
        id: true,
        runName: true,
        status: true,
        errorMessage: true,
        finishedAt: true,
        launchedBy: { select: { name: true } },
      },
    }),
    can(user, "monitoring:read")
      ? db.deployment.findMany({
          where: { status: "FAILED", updatedAt: { gte: since } },
          orderBy: { updatedAt: "desc" },
          take: listLimit,
          select: {
            id: true,
            action: true,
            namespace: true,
            serviceName: true,
            modelName: true,
            modelVersion: true,
            error: true,
            updatedAt: true,
          },
        })
      : [],
    db.promotionRequest.findMany({
      where: { status: "FAILED", updatedAt: { gte: since } },
      orderBy: { updatedAt: "desc" },
      take: listLimit,
      select: { id: true, modelName: true, version: true, applyError: true, updatedAt: true },
    }),
  ]);
  const failures: HomeFailure[] = [
    ...runs.map((r) => ({
      kind: "run" as const,
      id: r.id,
      title: `Run ${r.runName} (${r.launchedBy.name})`,
      detail: r.errorMessage ?? r.status.toLowerCase().replace("_", " "),
      href: `/runs/${r.id}`,
      at: (r.finishedAt ?? now).toISOString(),
    })),
    ...deployments.map((d) => ({
      kind: "deployment" as const,
      id: d.id,
      title: `${d.action.toLowerCase()} of ${d.serviceName}${d.modelVersion ? ` (${d.modelName ?? "model"} v${d.modelVersion})` : ""}`,
      detail: d.error,
      href: serviceHref(d.namespace, d.serviceName),
      at: d.updatedAt.toISOString(),
    })),
    ...promotions.map((p) => ({
      kind: "promotion" as const,
      id: p.id,
      title: `Promotion of ${p.modelName} v${p.version}`,
      detail: p.applyError,
      href: `/approvals/${p.id}`,
      at: p.updatedAt.toISOString(),
    })),
  ];
  return failures.sort((a, b) => b.at.localeCompare(a.at)).slice(0, listLimit);
}

/** The person's runs: the ones still moving first, then the newest that ended. */
async function myRuns(user: CurrentUser) {
  const { runs } = await listRuns(user, { mine: true, limit: listLimit });
  return runs;
}

export async function getHome(user: CurrentUser, now = new Date()): Promise<HomeView> {
  const when = <T>(permission: Parameters<typeof can>[1], read: () => Promise<T>) =>
    can(user, permission) ? read() : Promise.resolve(null);
  const [decisions, requests, alerts, runs, failures] = await Promise.all([
    when("promotions:decide", () => awaitingDecision(user)),
    when("promotions:request", () => myOpenRequests(user)),
    when("monitoring:read", () => openAlerts(user)),
    when("runs:launch", () => myRuns(user)),
    when("runs:read", () => recentFailures(user, now)),
  ]);
  return {
    awaitingMyDecision: decisions,
    myOpenRequests: requests,
    alerts,
    myRuns: runs,
    recentFailures: failures,
  };
}
