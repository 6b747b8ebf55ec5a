import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The layer rules in eslint.config.js, shown to bite: each case lints a one-line file at a path in
 * that layer (the file need not exist) and expects the import to be refused or let through.
 */
const eslint = new ESLint({ cwd: new URL("..", import.meta.url).pathname });

async function layerErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = [x];\n`, { filePath });
  return result.messages
    .filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports")
    .map((m) => m.message);
}

describe("layer rules", () => {
  it.each([
    ["lib/domain/drift/example.ts", 'import { getDb as x } from "@/lib/db/client";', /pure/],
    [
      "lib/domain/drift/example.ts",
      'import { createMlflowClient as x } from "@/lib/clients/mlflow";',
      /pure/,
    ],
    ["lib/domain/drift/example.ts", 'import { getConfig as x } from "@/lib/config";', /pure/],
    ["lib/domain/drift/example.ts", 'import x from "pg";', /pure/],
    [
      "lib/navigation-example.ts",
      'import { NavIcon as x } from "@/components/layout/nav-icon";',
      /never imports components/,
    ],
    [
      "lib/auth/example.ts",
      'import { demoPeople as x } from "@/sandbox/oidc/people";',
      /never imports the sandbox/,
    ],
    [
      "app/example/page.tsx",
      'import { demoPeople as x } from "@/sandbox/oidc/people";',
      /never imports the sandbox/,
    ],
    [
      "workers/handlers/example.ts",
      'import { listRuns as x } from "@/lib/dal/runs";',
      /Workers never import/,
    ],
    [
      "components/example.tsx",
      'import { getDb as x } from "@/lib/db/client";',
      /Components draw what they are given/,
    ],
    [
      "components/runs/example.tsx",
      'import { getRunLineage as x } from "@/lib/dal/runs";',
      /Components draw what they are given/,
    ],
    ["lib/services/example.ts", 'import { listRuns as x } from "@/lib/dal/runs";', /never imports the DAL/],
    ["lib/clients/example/index.ts", 'import { getConfig as x } from "@/lib/config";', /Clients are pure/],
    ["lib/dal/example.ts", 'import { x } from "../../components/ui/button";', /Import across folders/],
  ])("refuses %s: %s", async (filePath, source, message) => {
    expect(await layerErrors(filePath, source)).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ["lib/domain/drift/example.ts", 'import type { PrismaClient as x } from "@/lib/db/client";'],
    [
      "lib/domain/drift/example.ts",
      'import { latencyQuantileQuery as x } from "@/lib/clients/prometheus/queries";',
    ],
    ["lib/domain/drift/example.ts", 'import { modelStages as x } from "@/lib/clients/mlflow/schemas";'],
    ["lib/services/example.ts", 'import { getDb as x } from "@/lib/db/client";'],
    ["components/example.tsx", 'import type { RunStatus as x } from "@/lib/db/generated/enums";'],
    ["components/runs/example.tsx", 'import type { RunDetail as x } from "@/lib/dal/runs";'],
    ["lib/testing/example.ts", 'import { startSandbox as x } from "@/sandbox/testing";'],
    ["lib/dal/example.test.ts", 'import { startSandbox as x } from "@/sandbox/testing";'],
  ])("lets through %s: %s", async (filePath, source) => {
    expect(await layerErrors(filePath, source)).toEqual([]);
  });
});

describe("audiences by permission", () => {
  const roleFilterErrors = async (filePath: string, source: string) => {
    const [result] = await eslint.lintText(source, { filePath });
    return result.messages.filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message);
  };
  const byRole = 'export const where = { roles: { has: "OnCall" } };\n';

  it.each(["workers/handlers/example.ts", "lib/dal/example.ts", "lib/services/example.ts"])(
    "refuses a role filter in %s",
    async (filePath) => {
      expect(await roleFilterErrors(filePath, byRole)).toEqual([expect.stringMatching(/by permission/)]);
      expect(
        await roleFilterErrors(
          filePath,
          'export const where = { roles: { hasSome: ["OnCall", "Admin"] } };\n',
        ),
      ).toHaveLength(1);
    },
  );

  it("lets the one audience query and tests through", async () => {
    expect(await roleFilterErrors("lib/db/users.ts", byRole)).toEqual([]);
    expect(await roleFilterErrors("workers/handlers/example.test.ts", byRole)).toEqual([]);
  });
});

describe("input schemas live in lib/validation", () => {
  const schemaErrors = async (filePath: string, source: string) => {
    const [result] = await eslint.lintText(`import { z } from "zod";\n${source}`, { filePath });
    return result.messages.filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message);
  };
  const schema = "export const listThingsQuery = z.object({ q: z.string().max(200) });\n";

  it.each([
    "app/api/things/route.ts",
    "lib/dal/things.ts",
    "lib/services/things/read.ts",
    "workers/handlers/things.ts",
  ])("refuses a schema defined in %s", async (filePath) => {
    expect(await schemaErrors(filePath, schema)).toEqual([expect.stringMatching(/lib\/validation/)]);
    expect(
      await schemaErrors(
        filePath,
        'export const b = z.discriminatedUnion("step", [z.object({ step: z.literal("a") })]);\n',
      ),
    ).toHaveLength(2);
  });

  it("lets schemas through in lib/validation, and plain checks and role filters where they belong", async () => {
    expect(await schemaErrors("lib/validation/things.ts", schema)).toEqual([]);
    expect(
      await schemaErrors("lib/dal/things.ts", "export const ok = z.uuid().safeParse('x').success;\n"),
    ).toEqual([]);
    expect(
      await schemaErrors("lib/dal/things.ts", 'export const w = { roles: { has: "OnCall" } };\n'),
    ).toEqual([expect.stringMatching(/by permission/)]);
  });
});

describe("job ids come from lib/queue/job-ids.ts", () => {
  const jobIdErrors = async (filePath: string, source: string) => {
    const [result] = await eslint.lintText(source, { filePath });
    return result.messages.filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message);
  };

  it.each([
    ["lib/dal/example.ts", "export const o = (id: string) => ({ jobId: `submit-${id}` });\n"],
    [
      "workers/handlers/example.ts",
      "export const f = (id: string) => { const jobId = `evaluate-gates-${id}-1`; return jobId; };\n",
    ],
  ])("refuses one built by hand in %s", async (filePath, source) => {
    expect(await jobIdErrors(filePath, source)).toEqual([expect.stringMatching(/jobIds/)]);
  });

  it("lets the registry build them, and everyone else call it", async () => {
    expect(
      await jobIdErrors(
        "lib/queue/job-ids.ts",
        "export const jobIds = { submitRun: (id: string) => `submit-${id}` };\n",
      ),
    ).toEqual([]);
    expect(
      await jobIdErrors(
        "lib/dal/example.ts",
        'import { jobIds } from "@/lib/queue/job-ids";\nexport const o = (id: string) => ({ jobId: jobIds.submitRun(id) });\n',
      ),
    ).toEqual([]);
  });
});
