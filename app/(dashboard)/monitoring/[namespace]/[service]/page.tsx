import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { QueryProvider } from "@/components/query-provider";
import { LlmChartsPanel } from "@/components/monitoring/llm-charts";
import { ServiceChartsPanel } from "@/components/monitoring/service-charts";
import { ServiceLiveView } from "@/components/monitoring/service-live-view";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { getServicePage } from "@/lib/dal/monitoring";
import { isChartRange } from "@/lib/domain/monitoring/fleet-metrics";
import { isLlmService } from "@/lib/domain/monitoring/llm-serving";
import { isAppError } from "@/lib/errors";

type Params = { namespace: string; service: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).service)} · Monitoring` };
}

export default async function ServiceMonitoringPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<{ range?: string }>;
}) {
  const user = await requirePageUser("monitoring:read");
  const { namespace, service } = await params;
  const requested = (await searchParams).range;
  const range = isChartRange(requested) ? requested : "1h";
  const page = await getServicePage(user, namespace, service).catch((error) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return (
    <>
      <PageHeader
        title={service}
        breadcrumbs={[{ label: "Monitoring", href: "/monitoring" }, { label: namespace }, { label: service }]}
        description="KServe status, traffic per revision, alerts and rollouts. Panels refresh every 15 seconds."
      />
      <QueryProvider retry={1}>
        <div className="space-y-6">
          <ServiceLiveView initial={page} />
          <ServiceChartsPanel key={range} namespace={namespace} service={service} range={range} />
          {isLlmService(page.service.model) && (
            <LlmChartsPanel key={`llm-${range}`} namespace={namespace} service={service} range={range} />
          )}
        </div>
      </QueryProvider>
    </>
  );
}
