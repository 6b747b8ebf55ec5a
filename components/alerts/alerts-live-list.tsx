"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Card } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { fetchJson, pollMs } from "@/components/monitoring/api";
import type { AlertDto } from "@/lib/dal/alerts";
import { AlertsTable } from "./alerts-table";

/** The alerts page's list for one state filter, polled. */
export function AlertsLiveList({
  state,
  initial,
  readAt,
}: {
  state: string;
  initial: AlertDto[];
  readAt: string;
}) {
  const queryClient = useQueryClient();
  const queryKey = ["alerts", state];
  const { data, error, dataUpdatedAt } = useQuery({
    queryKey,
    queryFn: () =>
      fetchJson<{ alerts: AlertDto[] }>(`/api/alerts?state=${encodeURIComponent(state)}`).then(
        (body) => body.alerts,
      ),
    initialData: initial,
    initialDataUpdatedAt: Date.parse(readAt),
    refetchInterval: pollMs,
  });
  return (
    <Card
      title="Alerts"
      description="Firing first, then the newest."
      lastUpdated={
        <>
          Updated <RelativeTime date={dataUpdatedAt} />
        </>
      }
      padding="none"
    >
      {error && (
        <Notice tone="warning" live="polite" className="m-4">
          Could not refresh: {error.message}
        </Notice>
      )}
      <AlertsTable
        alerts={data}
        caption="Alerts"
        onChanged={() => queryClient.invalidateQueries({ queryKey })}
      />
    </Card>
  );
}
