import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  findPrometheus,
  preparePrometheus,
  prometheusConfigFile,
  renderPrometheusConfig,
  scrapeTargetOf,
} from "./real-prometheus";

describe("the Prometheus configuration", () => {
  it("renders infra/prometheus/prometheus.yml unchanged for the default sandbox", () => {
    expect(renderPrometheusConfig({ target: scrapeTargetOf("http://127.0.0.1:4010") })).toBe(
      readFileSync(prometheusConfigFile, "utf8"),
    );
  });

  it("fills in another target and interval, and refuses anything else", () => {
    const config = renderPrometheusConfig({ target: "127.0.0.1:6201", scrapeInterval: "1s" });
    expect(config).toContain('targets: ["127.0.0.1:6201"]');
    expect(config.match(/scrape_interval: 1s/g)).toHaveLength(2);
    expect(() => renderPrometheusConfig({ target: "127.0.0.1:1\n  - evil" })).toThrow(RangeError);
    expect(() => renderPrometheusConfig({ target: "127.0.0.1:1", scrapeInterval: "soon" })).toThrow(
      RangeError,
    );
  });

  it.skipIf(!findPrometheus())("is a configuration promtool accepts", () => {
    const launch = preparePrometheus({
      binary: findPrometheus()!,
      port: 9,
      target: "127.0.0.1:4010",
      scrapeInterval: "1s",
    });
    try {
      const promtool = path.join(path.dirname(findPrometheus()!), "promtool");
      expect(
        execFileSync(promtool, ["check", "config", path.join(launch.directory, "prometheus.yml")], {
          encoding: "utf8",
        }),
      ).toContain("SUCCESS");
    } finally {
      rmSync(launch.directory, { recursive: true, force: true });
    }
  });
});
