import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { QueryProvider } from "@/components/query-provider";
import { RunLiveView } from "@/components/runs/run-live-view";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { getRun } from "@/lib/dal/runs";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser("runs:read");
  const { id } = await params;
  const run = await getRun(user, id).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return (
    <>
      <PageHeader
        title={run.runName}
        breadcrumbs={[{ label: "Runs", href: "/runs" }, { label: run.runName }]}
        description={`${run.experimentName} · ${run.datasetFullName}`}
      />
      <QueryProvider>
        <RunLiveView initial={run} />
      </QueryProvider>
    </>
  );
}
