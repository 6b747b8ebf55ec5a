import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// `npm run bench [-- name-filter]`: runs every bench/*.bench.ts in turn; each prints its own figures.
// Record results in docs/benchmarks.md. Machines are shared: compare ratios from one run.
const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const benches = readdirSync(here)
  .filter((file) => file.endsWith(".bench.ts") && (!filter || file.includes(filter)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(path.join(here, "../node_modules/.bin/tsx"), [path.join(here, file)], {
    stdio: "inherit",
  });
  if (result.status !== 0) failed++;
}
console.log(`\n${benches.length - failed} benchmark(s) ran, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
