import { readFile } from "node:fs/promises";
import { validate, ValidationSeverity } from "dockerfile-utils";

// Lints the Dockerfile with the Docker language server's validator (instruction syntax, flags,
// stage names in --from, duplicate stage names); hadolint is not installable offline.
const text = await readFile("Dockerfile", "utf8");
const diagnostics = validate(text, {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
});
const stages = [...text.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);
const problems = diagnostics.map((d) => `Dockerfile:${d.range.start.line + 1}: ${d.message}`);
for (const [, from] of text.matchAll(/^COPY\b.*?--from=(\S+)/gm))
  if (!stages.includes(from)) problems.push(`Dockerfile: --from=${from} names no stage`);
for (const target of ["web", "worker", "ingest", "migrate", "sandbox"])
  if (!stages.includes(target))
    problems.push(`Dockerfile: target ${target} is missing (compose.yaml and the pipeline build it)`);

if (problems.length) {
  console.error(problems.map((p) => `  ✗ ${p}`).join("\n"));
  console.error(`dockerfile: ${problems.length} problem(s)`);
  process.exitCode = 1;
} else {
  console.log(`dockerfile: ${stages.length} stages (${stages.join(", ")}) lint clean`);
}
