import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkTerraform } from "./terraform";

const source = path.resolve(import.meta.dirname, "../terraform");
let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "switchboard-tf-"));
  await cp(source, root, { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function edit(file: string, from: string | RegExp, to: string) {
  const full = path.join(root, file);
  const text = await readFile(full, "utf8");
  const changed = text.replace(from, to);
  expect(changed, `${file} should contain ${from}`).not.toBe(text);
  await writeFile(full, changed);
}

const problemsOf = async () =>
  (await checkTerraform(root)).problems.map((p) =>
    p.replaceAll(path.relative(process.cwd(), root), "<root>"),
  );

describe("checkTerraform", () => {
  it("passes the repository's Terraform", async () => {
    const report = await checkTerraform(root);
    expect(report.problems).toEqual([]);
    expect(report.modules).toBe(11);
    expect(report.tfvarsFiles).toBe(3);
  });

  it("reports a syntax error with its position", async () => {
    await writeFile(path.join(root, "broken.tf"), 'resource "azurerm_resource_group" "x" {\n  name =\n}\n');
    expect(
      (await problemsOf()).some((p) => p.includes("broken.tf:2") && p.includes("Invalid expression")),
    ).toBe(true);
  });

  it("reports a file that terraform fmt would change, and --write fixes it", async () => {
    await edit("main.tf", 'name     = "rg-${local.name}"', 'name = "rg-${local.name}"');
    expect(await problemsOf()).toEqual([
      "<root>/main.tf: not in canonical format (run scripts/check-infra.sh --fix)",
    ]);
    await checkTerraform(root, { write: true });
    expect(await problemsOf()).toEqual([]);
  });

  it("reports undeclared variables, locals, resources and module outputs", async () => {
    await edit("modules/monitoring/main.tf", "var.retention_in_days", "var.retention_days");
    await edit("modules/container-apps/main.tf", "= local.web_app_name", "= local.webapp_name");
    await edit("modules/network/main.tf", "azurerm_subnet.apps.id", "azurerm_subnet.app.id");
    await edit("main.tf", "module.registry.login_server", "module.registry.server");
    expect(await problemsOf()).toEqual([
      "<root>/main.tf: module.registry.server is not an output of <root>/modules/registry",
      "<root>/modules/container-apps/main.tf: local.webapp_name is not declared in <root>/modules/container-apps",
      "<root>/modules/monitoring/main.tf: var.retention_days is not declared in <root>/modules/monitoring",
      "<root>/modules/network/main.tf: azurerm_subnet.app is not a resource of <root>/modules/network",
    ]);
  });

  it("reports module arguments the module does not declare, and required ones left out", async () => {
    await edit(
      "main.tf",
      "  retention_in_days   = var.environment",
      "  retention_days      = var.environment",
    );
    expect(await problemsOf()).toEqual([
      '<root>: module "monitoring" passes "retention_days", which <root>/modules/monitoring does not declare',
      '<root>: module "monitoring" does not set required variable "retention_in_days"',
    ]);
  });

  it("reports tfvars keys that are not variables and required variables a tfvars file lacks", async () => {
    await edit("environments/dev.tfvars", 'environment = "dev"', 'environment = "dev"\nenviron     = "dev"');
    await edit("environments/prod.tfvars", /^databricks_host .*\n/m, "");
    expect(await problemsOf()).toEqual([
      '<root>/environments/dev.tfvars: "environ" is not a variable of the root module',
      '<root>/environments/prod.tfvars: required variable "databricks_host" is missing',
    ]);
  });
});
