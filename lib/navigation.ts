import { can, type Permission, type Principal } from "@/lib/auth/permissions";

/** Icons are named, not components: the shell's nav is a client component and its props must serialise. */
export type NavIconName =
  | "home"
  | "datasets"
  | "runs"
  | "pipelines"
  | "features"
  | "experiments"
  | "models"
  | "approvals"
  | "monitoring"
  | "audit"
  | "admin";

/** The platform's areas, in navigation order, each behind the permission that lets a person in. */
export const areas = [
  {
    href: "/datasets",
    icon: "datasets",
    label: "Datasets",
    permission: "datasets:read",
    summary: "Browse Unity Catalog tables, their columns, quality checks and lineage.",
  },
  {
    href: "/runs",
    icon: "runs",
    label: "Runs",
    permission: "runs:read",
    summary: "Launch Databricks training runs and watch them live.",
  },
  {
    href: "/pipelines",
    icon: "pipelines",
    label: "Pipelines",
    permission: "pipelines:read",
    summary: "Airflow DAGs and their runs: tasks, tries, data quality and the Databricks runs they submit.",
  },
  {
    href: "/features",
    icon: "features",
    label: "Features",
    permission: "features:read",
    summary: "Feast feature views: schema, TTL, freshness and the runs and models that use them.",
  },
  {
    href: "/experiments",
    icon: "experiments",
    label: "Experiments",
    permission: "experiments:read",
    summary: "Search MLflow experiments and compare runs side by side.",
  },
  {
    href: "/models",
    icon: "models",
    label: "Models",
    permission: "models:read",
    summary: "Registered models, versions, stages and aliases, with their lineage.",
  },
  {
    href: "/approvals",
    icon: "approvals",
    label: "Approvals",
    permission: "promotions:read",
    summary: "Promotion requests with their evidence, gates and decisions.",
  },
  {
    href: "/monitoring",
    icon: "monitoring",
    label: "Monitoring",
    permission: "monitoring:read",
    summary: "KServe latency, errors and drift; alerts and rollbacks.",
  },
  {
    href: "/audit",
    icon: "audit",
    label: "Audit",
    permission: "audit:read",
    summary: "The tamper-evident trail of every request, decision and rollout.",
  },
  {
    href: "/admin",
    icon: "admin",
    label: "Admin",
    permission: "admin:read",
    summary: "Promotion policies, alert rule defaults, notification channels and who holds which role.",
  },
] as const satisfies ReadonlyArray<{
  href: string;
  icon: NavIconName;
  label: string;
  permission: Permission;
  summary: string;
}>;

export type Area = (typeof areas)[number];

/** The navigation a person sees: Home, then the areas their roles open. */
export function navigationFor(principal: Principal) {
  return [
    { href: "/", label: "Home", icon: "home" as const },
    ...areas
      .filter((area) => can(principal, area.permission))
      .map(({ href, label, icon }) => ({ href, label, icon })),
  ];
}

/** Links between pages, importable by client components (the DAL re-exports them). */
export const datasetHref = (fullName: string) =>
  `/datasets/${fullName.split(".").map(encodeURIComponent).join("/")}`;
export const serviceHref = (namespace: string, name: string) =>
  `/monitoring/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
