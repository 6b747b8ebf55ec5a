import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// Runs the operator scripts against a stand-in `az` (and `curl`, `sleep`) that records every call
// and answers like the Azure CLI would, so their control flow is tested without a subscription.
const repository = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
let bin: string;

const fakeAz = String.raw`#!/usr/bin/env bash
echo "az $*" >> "$FAKE_DIR/calls.log"
case "$*" in
  "extension add"*|"acr import"*|"containerapp update"*|"containerapp job update"*) ;;
  "containerapp job start"*) echo "caj-migrate-abc12" ;;
  "containerapp job execution show"*) echo "$MIGRATION_STATUS" ;;
  "containerapp show"*"ingress.fqdn"*) echo "web.example.io" ;;
  "containerapp show --name ca-switchboard-dev-aue-web"*) echo "cr.azurecr.io/switchboard-web:previous" ;;
  "containerapp show --name ca-switchboard-dev-aue-worker"*) echo "cr.azurecr.io/switchboard-worker:previous" ;;
  "containerapp show --name ca-switchboard-dev-aue-ingest"*) echo "cr.azurecr.io/switchboard-ingest:previous" ;;
  "ad app list"*) name=$(grep -o "switchboard-[a-z-]*" <<<"$*" | head -1); [[ -f "$FAKE_DIR/app-$name" ]] && echo "appid-$name" ;;
  "ad app create"*) name=$(grep -o "switchboard-[a-z-]*" <<<"$*" | head -1); touch "$FAKE_DIR/app-$name"; echo "appid-$name" ;;
  "ad sp show --id 00000003"*) echo "graph-user-read" ;;
  "ad sp show --id 2ff814a6"*) echo "databricks-user-impersonation" ;;
  "ad sp show"*|"ad sp create"*|"ad sp update"*|"keyvault secret set"*) ;;
  "ad app show"*) echo "object-1" ;;
  "rest --method GET"*) [[ -f "$FAKE_DIR/application.json" ]] && node -e '
    const app = require(process.env.FAKE_DIR + "/application.json"); const query = process.argv[1];
    const value = /value=='"'"'(\w+)'"'"'/.exec(query)[1];
    const list = query.includes("appRoles") ? app.appRoles : app.api.oauth2PermissionScopes;
    console.log(list.find((item) => item.value === value)?.id ?? "")' "$*" ;;
  "rest --method PATCH"*) cat > "$FAKE_DIR/application.json" ;;
  "ad app credential reset"*) echo "generated-secret-value" ;;
  "account show"*) echo "tenant-1" ;;
  *) echo "unexpected az $*" >&2; exit 1 ;;
esac
`;

beforeEach(async () => {
  bin = await mkdtemp(path.join(tmpdir(), "switchboard-az-"));
  await writeFile(path.join(bin, "az"), fakeAz);
  await writeFile(
    path.join(bin, "curl"),
    '#!/usr/bin/env bash\necho "curl $*" >> "$FAKE_DIR/calls.log"\n[[ "$READY" == yes ]] && echo \'{"ready":true}\'\n[[ "$READY" == yes ]]\n',
  );
  await writeFile(path.join(bin, "sleep"), "#!/usr/bin/env bash\n");
  for (const tool of ["az", "curl", "sleep"]) await chmod(path.join(bin, tool), 0o755);
});
afterEach(() => rm(bin, { recursive: true, force: true }));

async function runScript(script: string, args: string[], env: Record<string, string>) {
  const options = {
    cwd: repository,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_DIR: bin, ...env },
  };
  const result = await run(script, args, options).then(
    (r) => ({ code: 0, output: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: e.stdout + e.stderr }),
  );
  const calls = (await readFile(path.join(bin, "calls.log"), "utf8").catch(() => "")).trim().split("\n");
  return { ...result, calls };
}

const deploy = (env: Record<string, string>) =>
  runScript("infra/pipelines/deploy.sh", [], { ENVIRONMENT: "dev", IMAGE_TAG: "42-abc", ...env });
const updates = (calls: string[]) =>
  calls
    .filter((c) => c.startsWith("az containerapp update"))
    .map((c) => {
      const args = c.split(" ");
      return `${args[args.indexOf("--name") + 1]} ${args[args.indexOf("--image") + 1]}`;
    });

describe("infra/pipelines/deploy.sh", () => {
  it("imports, migrates, then rolls out worker and ingest before web and waits for readiness", async () => {
    const { code, calls } = await deploy({
      SOURCE_REGISTRY: "crswitchboarddevaue",
      MIGRATION_STATUS: "Succeeded",
      READY: "yes",
    });
    expect(code).toBe(0);
    expect(calls.filter((c) => c.startsWith("az acr import")).length).toBe(4);
    expect(
      calls.some((c) => c.includes("--source crswitchboarddevaue.azurecr.io/switchboard-migrate:42-abc")),
    ).toBe(true);
    const migrate = calls.findIndex(
      (c) => c.startsWith("az containerapp job update") && c.includes("switchboard-migrate:42-abc"),
    );
    const started = calls.findIndex((c) => c.startsWith("az containerapp job start"));
    const firstUpdate = calls.findIndex((c) => c.startsWith("az containerapp update"));
    expect(migrate).toBeGreaterThan(-1);
    expect(started).toBeGreaterThan(migrate);
    expect(firstUpdate).toBeGreaterThan(started);
    expect(updates(calls)).toEqual([
      "ca-switchboard-dev-aue-worker crswitchboarddevaue.azurecr.io/switchboard-worker:42-abc",
      "ca-switchboard-dev-aue-ingest crswitchboarddevaue.azurecr.io/switchboard-ingest:42-abc",
      "ca-switchboard-dev-aue-web crswitchboarddevaue.azurecr.io/switchboard-web:42-abc",
    ]);
    expect(calls.some((c) => c.startsWith("curl") && c.includes("https://web.example.io/api/ready"))).toBe(
      true,
    );
  });

  it("stops before touching the apps when the migration fails", async () => {
    const { code, output, calls } = await deploy({ MIGRATION_STATUS: "Failed", READY: "yes" });
    expect(code).toBe(1);
    expect(output).toContain("migration caj-migrate-abc12 Failed");
    expect(updates(calls)).toEqual([]);
  });

  it("puts the previous images back when /api/ready never passes", async () => {
    const { code, output, calls } = await deploy({
      MIGRATION_STATUS: "Succeeded",
      READY: "no",
      READY_TIMEOUT_SECONDS: "0",
    });
    expect(code).toBe(1);
    expect(output).toContain("rolling back");
    expect(updates(calls)).toEqual([
      "ca-switchboard-dev-aue-worker crswitchboarddevaue.azurecr.io/switchboard-worker:42-abc",
      "ca-switchboard-dev-aue-ingest crswitchboarddevaue.azurecr.io/switchboard-ingest:42-abc",
      "ca-switchboard-dev-aue-web crswitchboarddevaue.azurecr.io/switchboard-web:42-abc",
      "ca-switchboard-dev-aue-web cr.azurecr.io/switchboard-web:previous",
      "ca-switchboard-dev-aue-worker cr.azurecr.io/switchboard-worker:previous",
      "ca-switchboard-dev-aue-ingest cr.azurecr.io/switchboard-ingest:previous",
    ]);
  });
});

describe("scripts/entra-app-registration.sh", () => {
  const register = (...extra: string[]) =>
    runScript(
      "scripts/entra-app-registration.sh",
      ["--env", "dev", "--host", "switchboard.example.com", ...extra],
      {},
    );
  const application = async () => JSON.parse(await readFile(path.join(bin, "application.json"), "utf8"));

  it("registers the redirect URI, the four user roles and the Databricks on-behalf-of permission", async () => {
    const { code, output } = await register();
    expect(code).toBe(0);
    const app = await application();
    expect(app.web.redirectUris).toEqual(["https://switchboard.example.com/api/auth/callback/azure-ad"]);
    expect(
      app.appRoles.map(
        (r: { value: string; allowedMemberTypes: string[] }) => `${r.value}:${r.allowedMemberTypes}`,
      ),
    ).toEqual(["DataScientist:User", "ModelRiskOfficer:User", "OnCall:User", "Admin:User"]);
    expect(app.requiredResourceAccess).toContainEqual({
      resourceAppId: "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d",
      resourceAccess: [{ id: "databricks-user-impersonation", type: "Scope" }],
    });
    expect(app.identifierUris).toEqual(["api://appid-switchboard-dev"]);
    for (const { id } of [...app.appRoles, ...app.api.oauth2PermissionScopes])
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(app.appRoles.map((r: { id: string }) => r.id)).size).toBe(4);
    expect(output).toContain('databricks_sp_client_id = "appid-switchboard-dev-worker"');
  });

  it("is idempotent: a second run creates nothing and keeps every role and scope id", async () => {
    await register();
    const first = await application();
    const { code, calls } = await register();
    expect(code).toBe(0);
    const second = await application();
    expect(second.appRoles.map((r: { id: string }) => r.id)).toEqual(
      first.appRoles.map((r: { id: string }) => r.id),
    );
    expect(second.api.oauth2PermissionScopes[0].id).toBe(first.api.oauth2PermissionScopes[0].id);
    expect(calls.filter((c) => c.startsWith("az ad app create"))).toHaveLength(2);
  });

  it("writes new client secrets to Key Vault without printing them", async () => {
    const { code, output, calls } = await register("--key-vault", "kv-switchboard-dev-aue", "--new-secrets");
    expect(code).toBe(0);
    expect(output).not.toContain("generated-secret-value");
    expect(
      calls.filter((c) => c.startsWith("az keyvault secret set")).map((c) => /--name (\S+)/.exec(c)?.[1]),
    ).toEqual(["entra-client-secret", "arm-client-secret"]);
  });
});
