import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "@cdktf/hcl2json";
import { format } from "@cdktf/hcl-tools";

// What `terraform fmt -check` and a slice of `terraform validate` would catch, without the Terraform
// binary: syntax (HashiCorp's own HCL parser, compiled to wasm), canonical formatting, and references
// between variables, locals, modules, resources and outputs. Provider schemas are NOT checked.
// Usage: tsx infra/checks/terraform.ts <terraform root> [--write]

/** A parsed HCL body as hcl2json renders it: blocks become objects keyed by label, holding arrays. */
type Hcl = Record<string, unknown>;
const body = (value: unknown): Hcl =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Hcl) : {};
const blocks = (value: unknown): Hcl[] => (Array.isArray(value) ? (value as Hcl[]) : []);
interface ModuleDir {
  dir: string;
  variables: Map<string, { hasDefault: boolean }>;
  locals: Set<string>;
  outputs: Set<string>;
  resources: Set<string>;
  dataSources: Set<string>;
  moduleCalls: Map<string, Hcl>;
  expressions: Array<{ file: string; text: string }>;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(tf|tfvars|hcl)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** hcl2json renders every expression Terraform evaluates as a string holding `${...}`. */
function collectExpressions(value: unknown, into: string[]): void {
  if (typeof value === "string") {
    if (value.includes("${")) into.push(value);
  } else if (Array.isArray(value)) value.forEach((item) => collectExpressions(item, into));
  else if (value && typeof value === "object")
    Object.values(value).forEach((item) => collectExpressions(item, into));
}

function emptyModule(dir: string): ModuleDir {
  return {
    dir,
    variables: new Map(),
    locals: new Set(),
    outputs: new Set(),
    resources: new Set(),
    dataSources: new Set(),
    moduleCalls: new Map(),
    expressions: [],
  };
}

export interface TerraformReport {
  problems: string[];
  modules: number;
  tfvarsFiles: number;
  expressions: number;
}

const metaArguments = new Set(["source", "version", "providers", "depends_on", "count", "for_each"]);
const where = (mod: ModuleDir) => path.relative(process.cwd(), mod.dir) || ".";

/** Checks every .tf, .tfvars and .hcl file under `root`; with `write`, reformats instead of reporting format. */
export async function checkTerraform(rootDir: string, { write = false } = {}): Promise<TerraformReport> {
  const root = path.resolve(rootDir);
  const problems: string[] = [];
  const modules = new Map<string, ModuleDir>();
  const tfvars: Array<{ file: string; keys: string[] }> = [];

  for (const file of await listFiles(root)) {
    const relative = path.relative(process.cwd(), file);
    const text = await readFile(file, "utf8");
    const formatted = await format(text);
    if (formatted !== text) {
      if (write) await writeFile(file, formatted);
      else problems.push(`${relative}: not in canonical format (run scripts/check-infra.sh --fix)`);
    }
    let parsed: Hcl;
    try {
      parsed = await parse(path.basename(file), text);
    } catch (error) {
      problems.push(`${relative}: ${String((error as Error).message ?? error).trim()}`);
      continue;
    }
    if (file.endsWith(".tfvars")) {
      tfvars.push({ file: relative, keys: Object.keys(parsed) });
      continue;
    }
    if (file.endsWith(".hcl")) continue;
    const dir = path.dirname(file);
    const mod = modules.get(dir) ?? emptyModule(dir);
    modules.set(dir, mod);
    for (const [name, declared] of Object.entries(body(parsed.variable)))
      mod.variables.set(name, { hasDefault: blocks(declared).some((b) => "default" in b) });
    for (const block of blocks(parsed.locals)) for (const name of Object.keys(block)) mod.locals.add(name);
    for (const name of Object.keys(body(parsed.output))) mod.outputs.add(name);
    for (const [type, byName] of Object.entries(body(parsed.resource)))
      for (const name of Object.keys(body(byName))) mod.resources.add(`${type}.${name}`);
    for (const [type, byName] of Object.entries(body(parsed.data)))
      for (const name of Object.keys(body(byName))) mod.dataSources.add(`${type}.${name}`);
    for (const [name, calls] of Object.entries(body(parsed.module)))
      mod.moduleCalls.set(name, blocks(calls)[0] ?? {});
    const expressions: string[] = [];
    collectExpressions({ ...parsed, variable: undefined }, expressions);
    mod.expressions.push(...expressions.map((text) => ({ file: relative, text })));
  }

  for (const mod of modules.values()) {
    for (const [callName, call] of mod.moduleCalls) {
      const source = String(call.source ?? "");
      const target = modules.get(path.resolve(mod.dir, source));
      if (!/^\.\.?\//.test(source) || !target) {
        problems.push(
          `${where(mod)}: module "${callName}" has source "${source}", which is not a local module here`,
        );
        continue;
      }
      for (const argument of Object.keys(call)) {
        if (!metaArguments.has(argument) && !target.variables.has(argument))
          problems.push(
            `${where(mod)}: module "${callName}" passes "${argument}", which ${where(target)} does not declare`,
          );
      }
      for (const [variable, { hasDefault }] of target.variables) {
        if (!hasDefault && !(variable in call))
          problems.push(`${where(mod)}: module "${callName}" does not set required variable "${variable}"`);
      }
    }
    for (const { file, text } of mod.expressions) {
      for (const [, name] of text.matchAll(/(?<![\w.])var\.(\w+)/g))
        if (!mod.variables.has(name)) problems.push(`${file}: var.${name} is not declared in ${where(mod)}`);
      for (const [, name] of text.matchAll(/(?<![\w.])local\.(\w+)/g))
        if (!mod.locals.has(name)) problems.push(`${file}: local.${name} is not declared in ${where(mod)}`);
      for (const [, name, output] of text.matchAll(/(?<![\w.])module\.(\w+)\.(\w+)/g)) {
        const call = mod.moduleCalls.get(name);
        const target = call && modules.get(path.resolve(mod.dir, String(call.source)));
        if (!call) problems.push(`${file}: module.${name} is not called in ${where(mod)}`);
        else if (target && !target.outputs.has(output))
          problems.push(`${file}: module.${name}.${output} is not an output of ${where(target)}`);
      }
      for (const [, type, name] of text.matchAll(/(?<![\w.])((?:azurerm|random|time)_\w+)\.(\w+)/g)) {
        if (!mod.resources.has(`${type}.${name}`))
          problems.push(`${file}: ${type}.${name} is not a resource of ${where(mod)}`);
      }
      for (const [, type, name] of text.matchAll(/(?<![\w.])data\.(\w+)\.(\w+)/g)) {
        if (!mod.dataSources.has(`${type}.${name}`))
          problems.push(`${file}: data.${type}.${name} is not declared in ${where(mod)}`);
      }
    }
  }

  const rootModule = modules.get(root);
  if (!rootModule) problems.push(`${root}: no .tf files`);
  for (const { file, keys } of tfvars) {
    if (!rootModule) break;
    for (const key of keys)
      if (!rootModule.variables.has(key))
        problems.push(`${file}: "${key}" is not a variable of the root module`);
    for (const [variable, { hasDefault }] of rootModule.variables)
      if (!hasDefault && !keys.includes(variable))
        problems.push(`${file}: required variable "${variable}" is missing`);
  }

  const expressions = [...modules.values()].reduce((n, m) => n + m.expressions.length, 0);
  return { problems, modules: modules.size, tfvarsFiles: tfvars.length, expressions };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const report = await checkTerraform(process.argv[2] ?? "infra/terraform", {
    write: process.argv.includes("--write"),
  });
  if (report.problems.length) {
    console.error(report.problems.map((p) => `  ✗ ${p}`).join("\n"));
    console.error(`terraform: ${report.problems.length} problem(s)`);
    process.exitCode = 1;
  } else {
    console.log(
      `terraform: ${report.modules} module(s), ${report.tfvarsFiles} tfvars file(s), ${report.expressions} expressions: syntax, format and references OK`,
    );
  }
}
