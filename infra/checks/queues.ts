import { readFile } from "node:fs/promises";
import { parse } from "@cdktf/hcl2json";
import { queueNames } from "@/lib/queue/jobs";

// The worker's scale rules are per queue (infra/terraform variable worker_queues); the queues are
// defined in lib/queue/jobs.ts. A queue missing from Terraform is still processed (min replicas
// keep a worker up) but never scales the workers out, so this reports drift without failing CI.
const variables = await parse("variables.tf", await readFile("infra/terraform/variables.tf", "utf8"));
const configured: string[] = variables.variable.worker_queues[0].default;
const unscaled = queueNames.filter((queue) => !configured.includes(queue));
const unknown = configured.filter((queue) => !(queueNames as string[]).includes(queue));

if (unscaled.length)
  console.log(
    `  ! queues without a worker scale rule: ${unscaled.join(", ")} (add them to worker_queues in infra/terraform/variables.tf)`,
  );
if (unknown.length)
  console.log(
    `  · worker_queues lists queues no job uses yet: ${unknown.join(", ")} (harmless: their lists stay empty)`,
  );
console.log(
  `queues: ${queueNames.length} in lib/queue/jobs.ts, ${configured.length} with scale rules${unscaled.length ? "; see the warning above" : ""}`,
);
