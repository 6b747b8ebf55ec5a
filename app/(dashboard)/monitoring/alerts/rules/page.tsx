import type { Metadata } from "next";
import Link from "next/link";
import { ServiceRulesCard } from "@/components/alerts/service-rules-card";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { listAlertRules } from "@/lib/dal/alerts";
import { kubernetesName } from "@/lib/validation/alerts";

export const metadata: Metadata = { title: "Alert rules" };

type Search = { namespace?: string; service?: string };

export default async function AlertRulesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageUser("monitoring:read");
  const search = await searchParams;
  const namespace = kubernetesName.safeParse(search.namespace).data;
  const serviceName = kubernetesName.safeParse(search.service).data;
  const page = await listAlertRules(user, { namespace, serviceName });
  const isOneService = Boolean(serviceName);
  return (
    <>
      <PageHeader
        title="Alert rules"
        breadcrumbs={[
          { label: "Monitoring", href: "/monitoring" },
          { label: "Alerts", href: "/monitoring/alerts" },
          { label: "Rules" },
        ]}
        description="What pages the on-call engineer, per service. The worker evaluates every enabled rule every 30 seconds; a firing alert notifies people with the OnCall role and the team's chat webhook."
        actions={
          isOneService ? <ButtonLink href="/monitoring/alerts/rules">All services</ButtonLink> : undefined
        }
      />
      <div className="space-y-6">
        {!page.canConfigure && (
          <Notice tone="info" title="Read only">
            On-call engineers and admins add and change alert rules.
          </Notice>
        )}
        {page.fleetError && <Notice tone="warning">{page.fleetError}</Notice>}
        {page.services.length === 0 ? (
          <Card>
            <EmptyState
              title={isOneService ? `No service named ${serviceName}` : "No services to alert on"}
              description={
                isOneService ? (
                  <>
                    KServe does not serve it and it has no rules.{" "}
                    <Link href="/monitoring/alerts/rules" className="text-accent hover:underline">
                      See every service
                    </Link>
                    .
                  </>
                ) : (
                  "Rules belong to KServe InferenceServices; deploy one and its default rules appear here at the next evaluation."
                )
              }
            />
          </Card>
        ) : (
          page.services.map((service) => (
            <ServiceRulesCard
              key={`${service.namespace}/${service.serviceName}`}
              service={service}
              canConfigure={page.canConfigure}
            />
          ))
        )}
      </div>
    </>
  );
}
