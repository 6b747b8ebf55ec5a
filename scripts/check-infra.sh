#!/usr/bin/env bash
# Static checks of the deployment files that can run offline (CI runs this; so can you).
#   scripts/check-infra.sh          check
#   scripts/check-infra.sh --fix    also rewrite .tf/.tfvars/.hcl files into canonical format
# What it cannot check is printed at the end, every run, so a green run is not mistaken for more.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

failed=0
run() {
  echo "── $1"
  shift
  "$@" || failed=1
}

run "Tests of the checks (each must catch what it claims to) and of deploy.sh and the Entra script" \
  npx vitest run --config infra/checks/vitest.config.ts --reporter=dot
run "Terraform: HCL syntax, terraform-fmt formatting, references between variables, modules and outputs" \
  npx tsx infra/checks/terraform.ts infra/terraform ${1:+"$1"}
run "YAML: every file parses; compose.yaml against the Compose Specification; pipeline wiring" \
  npx tsx infra/checks/yaml.ts
run "Queues: worker scale rules against lib/queue/jobs.ts (reports drift, never fails)" \
  npx tsx infra/checks/queues.ts
run "Dockerfile: instruction lint, stage references, required targets" \
  npx tsx infra/checks/dockerfile.ts
if command -v shellcheck >/dev/null; then
  run "Shell scripts: shellcheck" shellcheck scripts/check-infra.sh scripts/verify-standalone.sh scripts/entra-app-registration.sh infra/pipelines/*.sh
else
  echo "── Shell scripts: SKIPPED, shellcheck is not installed (apt-get install shellcheck)"
fi

cat <<'NOTE'
── Not checked here (no offline tool exists; see docs/deployment.md, "Validation"):
   • terraform validate/plan: provider schemas (attribute names, allowed values) need the Terraform
     binary and the azurerm provider download; run `terraform init -backend=false && terraform
     validate` where they are available, and `terraform plan` before every apply.
   • Azure Pipelines schema: only Azure DevOps validates tasks and inputs (queue a run, or use the
     pipeline editor's Validate).
   • Image builds: no Docker engine here; scripts/verify-standalone.sh checks what the Dockerfile
     copies, and the pipeline's build stage builds the images.
NOTE
if ((failed)); then echo "check-infra: FAILED"; exit 1; fi
echo "check-infra: OK"
