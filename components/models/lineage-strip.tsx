import { ChevronRight, Database, FlaskConical, Activity, Package, Server } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import type { ModelVersionItem } from "@/lib/dal/models";

interface Stage {
  key: string;
  label: string;
  icon: ReactNode;
  /** What to show; null when the link is unknown. */
  items: Array<{ text: string; href: string | null; detail?: string }>;
  missing: string;
}

/** dataset → training run → model version → deployment → monitoring, each linked where Switchboard has a page for it. */
export function LineageStrip({ modelName, version }: { modelName: string; version: ModelVersionItem }) {
  const { dataset, run, deployments } = version.lineage;
  const stages: Stage[] = [
    {
      key: "dataset",
      label: "Dataset",
      icon: <Database aria-hidden="true" className="size-4" />,
      items: dataset ? [{ text: dataset.name, href: dataset.href }] : [],
      missing: "Not recorded on the run",
    },
    {
      key: "run",
      label: "Training run",
      icon: <FlaskConical aria-hidden="true" className="size-4" />,
      items: run
        ? [
            {
              text: run.name ?? run.mlflowRunId,
              href: run.href,
              detail: run.href ? undefined : "not launched from Switchboard",
            },
          ]
        : [],
      missing: "No source run",
    },
    {
      key: "version",
      label: "Model version",
      icon: <Package aria-hidden="true" className="size-4" />,
      items: [{ text: `${modelName} v${version.version}`, href: null }],
      missing: "",
    },
    {
      key: "deployment",
      label: "Deployment",
      icon: <Server aria-hidden="true" className="size-4" />,
      items: deployments.map((d) => ({
        text: `${d.namespace}/${d.serviceName}`,
        href: null,
        detail:
          d.percent === null
            ? undefined
            : d.isCanary
              ? `canary, ${d.percent}% of traffic`
              : `${d.percent}% of traffic`,
      })),
      missing: "Not served",
    },
    {
      key: "monitoring",
      label: "Monitoring",
      icon: <Activity aria-hidden="true" className="size-4" />,
      items: deployments.map((d) => ({ text: `${d.serviceName} dashboard`, href: d.monitoringHref })),
      missing: "Nothing to monitor",
    },
  ];
  return (
    <ol
      aria-label={`Lineage of ${modelName} version ${version.version}`}
      className="flex flex-col gap-2 lg:flex-row lg:items-stretch"
    >
      {stages.map((stage, index) => (
        <li key={stage.key} className="flex min-w-0 flex-1 items-stretch gap-2">
          <div className="flex min-w-0 flex-1 flex-col gap-1 rounded-md border border-line bg-surface-muted px-3 py-2">
            <span className="flex items-center gap-1.5 text-xs font-medium text-fg-muted">
              {stage.icon}
              {stage.label}
            </span>
            {stage.items.length ? (
              stage.items.map((item) => (
                <span key={item.text} className="min-w-0 text-sm">
                  {item.href ? (
                    <Link
                      href={item.href}
                      className="font-mono text-xs break-all text-accent-text hover:underline"
                    >
                      {item.text}
                    </Link>
                  ) : (
                    <span className="font-mono text-xs break-all">{item.text}</span>
                  )}
                  {item.detail && <span className="block text-xs text-fg-subtle">{item.detail}</span>}
                </span>
              ))
            ) : (
              <span className="text-xs text-fg-subtle">{stage.missing}</span>
            )}
          </div>
          {index < stages.length - 1 && (
            <ChevronRight
              aria-hidden="true"
              className="hidden size-4 shrink-0 self-center text-fg-subtle lg:block"
            />
          )}
        </li>
      ))}
    </ol>
  );
}
