import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkCompose, checkPipeline, parseYamlFiles } from "./yaml";

const repository = path.resolve(import.meta.dirname, "../..");
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "switchboard-yaml-"));
  await mkdir(path.join(dir, "infra/pipelines"), { recursive: true });
  for (const file of ["compose.yaml", "azure-pipelines.yml", "infra/pipelines/deploy-stage.yml"])
    await cp(path.join(repository, file), path.join(dir, file));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function edit(file: string, from: string, to: string) {
  const text = await readFile(path.join(dir, file), "utf8");
  expect(text, `${file} should contain ${from}`).toContain(from);
  await writeFile(path.join(dir, file), text.replace(from, to));
}

async function check() {
  const { documents, problems } = await parseYamlFiles(dir);
  return [...problems, ...checkCompose(documents.get("compose.yaml")), ...checkPipeline(documents)];
}

describe("compose.yaml", () => {
  it("passes as committed", async () => {
    expect(await check()).toEqual([]);
  });

  it("rejects unknown service keys, malformed durations and dependencies on missing services", async () => {
    await edit("compose.yaml", 'restart: "no"', 'restarts: "no"');
    await edit("compose.yaml", "stop_grace_period: 60s", "stop_grace_period: a minute");
    await edit(
      "compose.yaml",
      "      sandbox: { condition: service_healthy }\n      migrate:",
      "      sandbox: { condition: service_healthy }\n      cache: { condition: service_healthy }\n      migrate:",
    );
    const problems = await check();
    expect(problems).toContain("compose.yaml/services/migrate: must NOT have additional properties");
    expect(problems).toContain(
      'compose.yaml/services/worker/stop_grace_period: must match format "duration"',
    );
    expect(problems).toContain("compose.yaml: app depends on unknown service cache");
  });

  it("reports duplicate keys as parse errors", async () => {
    await edit("compose.yaml", "  redis:\n", "  redis:\n    image: redis:6\n");
    expect((await check()).some((p) => p.startsWith("compose.yaml: Map keys must be unique"))).toBe(true);
  });
});

describe("azure-pipelines.yml", () => {
  it("reports undefined variables, unknown services and stages, and missing templates", async () => {
    await edit("azure-pipelines.yml", "versionSpec: $(nodeVersion)", "versionSpec: $(nodeVerson)");
    await edit("azure-pipelines.yml", "          redis: redis\n", "          redis: redis-cache\n");
    await edit("azure-pipelines.yml", "dependsOn: deploy_test", "dependsOn: deploy_tst");
    expect(await check()).toEqual([
      "azure-pipelines.yml/validate/checks: service redis-cache is not in resources.containers",
      "azure-pipelines.yml/validate/checks: $(nodeVerson) is not defined",
      "azure-pipelines.yml: stage deploy_prod depends on unknown stage deploy_tst",
    ]);
  });

  it("requires deployment jobs to name their environment, where the approvals live", async () => {
    await edit(
      "infra/pipelines/deploy-stage.yml",
      "        environment: switchboard-${{ parameters.environment }}\n",
      "",
    );
    expect(await check()).toEqual(
      ["dev", "test", "prod"].map(
        (env) =>
          `infra/pipelines/deploy-stage.yml(${env})/deploy: a deployment job needs an environment (it carries the approvals)`,
      ),
    );
  });

  it("checks template parameters against the template's declaration", async () => {
    await edit(
      "azure-pipelines.yml",
      "      sourceRegistry: crswitchboardtestaue",
      "      sourceRegistry: crswitchboardtestaue\n      region: aue",
    );
    await edit("azure-pipelines.yml", "      environment: dev\n", "");
    const problems = await check();
    expect(problems).toContain(
      "azure-pipelines.yml: infra/pipelines/deploy-stage.yml has no parameter region",
    );
    expect(problems).toContain(
      "azure-pipelines.yml: infra/pipelines/deploy-stage.yml needs parameter environment",
    );
  });
});
