import type { Metadata } from "next";
import Link from "next/link";
import { HomeList } from "@/components/home/home-list";
import { QueryProvider } from "@/components/query-provider";
import { RunsTable } from "@/components/runs/runs-table";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getHome, type HomeRequest } from "@/lib/dal/home";
import { areas } from "@/lib/navigation";

export const metadata: Metadata = { title: "Home" };

/** Decisions and alerts change without this person doing anything: re-read them every few seconds. */
const refreshMs = 5_000;

function plural(count: number, one: string, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

function requestItem(request: HomeRequest, showRequester: boolean) {
  return {
    key: request.id,
    href: `/approvals/${request.id}`,
    title: `${request.modelName} v${request.version} → ${request.target}`,
    meta: (
      <>
        {showRequester ? `${request.requestedBy} · ` : ""}requested <RelativeTime date={request.createdAt} />{" "}
        · approvals {request.approvals}/{request.requiredApprovals}
      </>
    ),
    badges: (
      <>
        {request.status === "STALE" && <StatusBadge domain="promotion" status="STALE" size="sm" />}
        <Badge tone={request.gatesPassed ? "success" : "danger"} size="sm">
          {request.gatesPassed ? "Gates pass" : "Gates fail"}
        </Badge>
      </>
    ),
  };
}

export default async function HomePage() {
  const user = await requirePageUser();
  const home = await getHome(user);
  const visibleAreas = areas.filter((area) => can(user, area.permission));
  const firing = home.alerts?.items.filter((a) => a.state === "FIRING").length ?? 0;
  const activeRuns = home.myRuns?.filter((r) => r.finishedAt === null).length ?? 0;
  const needs = [
    home.awaitingMyDecision?.length
      ? plural(home.awaitingMyDecision.length, "decision") + " waiting for you"
      : null,
    firing ? `${plural(firing, "alert")} firing` : null,
    activeRuns ? `${plural(activeRuns, "run")} of yours in progress` : null,
  ].filter(Boolean);

  const decisions = home.awaitingMyDecision && (
    <Card
      key="decisions"
      title="Waiting for your decision"
      description="Open promotion requests from others, oldest first."
      padding="none"
      actions={
        <Link href="/approvals" className="text-sm text-accent-text underline">
          All requests
        </Link>
      }
      isLandmark
    >
      <HomeList
        label="Requests waiting for your decision"
        items={home.awaitingMyDecision.map((r) => requestItem(r, true))}
        emptyTitle="Nothing waiting for you"
        emptyText="New promotion requests appear here for review."
      />
    </Card>
  );
  const alerts = home.alerts && (
    <Card
      key="alerts"
      title="Firing alerts"
      description={
        home.alerts.isPaged
          ? "You are on call: acknowledge from the service's page."
          : "Alerts on the services you watch."
      }
      padding="none"
      actions={
        <Link href="/monitoring/alerts" className="text-sm text-accent-text underline">
          All alerts
        </Link>
      }
      isLandmark
    >
      <HomeList
        label="Firing and pending alerts"
        items={home.alerts.items.map((a) => ({
          key: a.id,
          href: a.links.service,
          title: `${a.serviceName}: ${a.summary}`,
          meta: (
            <>
              {a.namespace} · since <RelativeTime date={a.firedAt ?? a.pendingSince} />
              {a.modelVersion ? ` · ${a.modelName ?? "model"} v${a.modelVersion}` : ""}
            </>
          ),
          badges: <StatusBadge domain="alert" status={a.state} size="sm" />,
        }))}
        emptyTitle="No alerts firing"
        emptyText="Every service is within its rules."
      />
    </Card>
  );
  const runs = home.myRuns && (
    <Card
      key="runs"
      title="Your runs"
      description="Live status; the newest first."
      padding="none"
      actions={
        <ButtonLink href="/runs/new" size="sm">
          Launch a run
        </ButtonLink>
      }
      isLandmark
      className="lg:col-span-2"
    >
      <QueryProvider>
        <RunsTable
          initial={{ runs: home.myRuns, nextAfter: null }}
          queryString="mine=true&limit=6"
          caption="Your training runs, newest first"
          emptyTitle="You have no runs yet"
          emptyText="Launch one from a dataset's page or with the button above."
          isOwnRuns
        />
      </QueryProvider>
    </Card>
  );
  const requests = home.myOpenRequests && (
    <Card
      key="requests"
      title="Your requests awaiting others"
      description="Promotions you asked for that officers have not decided."
      padding="none"
      actions={
        <Link href="/approvals?scope=mine" className="text-sm text-accent-text underline">
          All yours
        </Link>
      }
    >
      <HomeList
        label="Your open promotion requests"
        items={home.myOpenRequests.map((r) => requestItem(r, false))}
        emptyTitle="No open requests"
        emptyText="Request a promotion from a model version's page."
      />
    </Card>
  );
  const failures = home.recentFailures && (
    <Card
      key="failures"
      title="Recent failures"
      description="Runs, rollouts and promotions that failed in the last 7 days."
      padding="none"
    >
      <HomeList
        label="Recent failures"
        items={home.recentFailures.map((f) => ({
          key: `${f.kind}-${f.id}`,
          href: f.href,
          title: f.title,
          meta: (
            <>
              {f.detail ? `${f.detail.slice(0, 120)} · ` : ""}
              <RelativeTime date={f.at} />
            </>
          ),
          badges: (
            <Badge tone="danger" size="sm">
              Failed
            </Badge>
          ),
        }))}
        emptyTitle="No failures this week"
      />
    </Card>
  );
  // Whoever is paged sees alerts first; whoever decides sees decisions first; the rest follow.
  const sections = home.alerts?.isPaged
    ? [alerts, decisions, runs, requests, failures]
    : [decisions, runs, alerts, requests, failures];

  return (
    <>
      <AutoRefresh intervalMs={refreshMs} />
      <PageHeader
        title={`Good to see you, ${user.name.split(" ")[0]}`}
        description={
          user.roles.length
            ? needs.length
              ? `${needs.join(", ")}.`
              : "Nothing needs you right now."
            : undefined
        }
      />
      {user.roles.length === 0 && (
        <p role="alert" className="mb-6 text-sm">
          Your account has no Switchboard app role. Ask an Entra administrator to assign DataScientist,
          ModelRiskOfficer, OnCall or Admin.
        </p>
      )}
      <div className="grid gap-6 lg:grid-flow-row-dense lg:grid-cols-2">{sections.filter(Boolean)}</div>
      <section aria-labelledby="areas" className="mt-8">
        <h2 id="areas" className="text-sm font-semibold text-fg-muted">
          Your areas
        </h2>
        <ul className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {visibleAreas.map((area) => (
            <li key={area.href}>
              <Link
                href={area.href}
                className="block h-full rounded-lg border border-line bg-surface p-3 hover:border-line-strong"
              >
                <span className="font-medium text-fg">{area.label}</span>
                <span className="mt-1 block text-xs text-fg-muted">{area.summary}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
