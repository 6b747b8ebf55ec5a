import { describe, expect, it } from "vitest";
import { buildAlertInboxEntry, buildAlertWebhookMessage, type AlertNotice } from "./notifications";

const firing: AlertNotice = {
  event: "FIRING",
  summary: "p95 latency 812 ms > 500 ms on network-anomaly-predictor-00002",
  namespace: "models",
  serviceName: "network-anomaly",
  rule: { kind: "LATENCY_P95", threshold: 500, forMinutes: 5 },
  revisionName: "network-anomaly-predictor-00002",
  modelVersion: "6",
  firedAt: new Date("2026-11-26T03:05:00Z"),
  resolvedAt: null,
};

describe("alert notifications", () => {
  it("tell the inbox what fired, under which rule, linking to the service page", () => {
    expect(buildAlertInboxEntry(firing)).toEqual({
      title: "Firing: network-anomaly latency p95",
      body: "p95 latency 812 ms > 500 ms on network-anomaly-predictor-00002 (rule: p95 latency > 500 ms for 5 min).",
      link: "/monitoring/models/network-anomaly",
    });
    expect(
      buildAlertInboxEntry({ ...firing, event: "RESOLVED", resolvedAt: new Date("2026-11-26T03:17:20Z") }),
    ).toMatchObject({
      title: "Resolved: network-anomaly latency p95",
      body: "p95 latency > 500 ms for 5 min no longer holds, 12 min after it fired.",
    });
  });

  it("give Slack a text with links and Teams a card naming the service, revision and model version", () => {
    const message = buildAlertWebhookMessage(firing, "https://switchboard.example");
    expect(message.text).toBe(
      ":rotating_light: Firing: network-anomaly latency p95: p95 latency 812 ms > 500 ms on network-anomaly-predictor-00002 (rule: p95 latency > 500 ms for 5 min). <https://switchboard.example/monitoring/models/network-anomaly|Open the service> · <https://switchboard.example/monitoring/alerts|All alerts>",
    );
    expect(message).toMatchObject({
      "@type": "MessageCard",
      title: "Firing: network-anomaly latency p95",
      themeColor: "D13438",
    });
    expect(message.sections[0].facts).toEqual([
      { name: "Service", value: "models/network-anomaly" },
      { name: "Revision", value: "network-anomaly-predictor-00002" },
      { name: "Model version", value: "6" },
      { name: "Rule", value: "p95 latency > 500 ms for 5 min" },
    ]);
    expect(message.potentialAction[0].targets[0].uri).toBe(
      "https://switchboard.example/monitoring/models/network-anomaly",
    );
    const resolved = buildAlertWebhookMessage(
      { ...firing, event: "RESOLVED", revisionName: null, modelVersion: null },
      "https://switchboard.example",
    );
    expect(resolved.themeColor).toBe("107C10");
    expect(resolved.sections[0].facts.map((f) => f.name)).toEqual(["Service", "Rule"]);
  });
});
