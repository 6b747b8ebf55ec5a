import { register } from "node:module";
import { performance } from "node:perf_hooks";
import type { CurrentUser } from "@/lib/auth/session";
import type { SearchEntry } from "@/lib/dal/datasets";

/**
 * Datasets: what a table page and a search cost, cold and cached, against the sandbox over HTTP;
 * and how the search index scales on a big metastore (a stand-in Unity Catalog with N schemas ×
 * M tables and a fixed latency per listing page, since the sandbox estate has only ~20 tables).
 *   npx tsx bench/datasets.bench.ts
 * BENCH_UC_SCHEMAS / BENCH_UC_TABLES / BENCH_UC_PAGE_MS size the stand-in.
 */

// lib/dal imports server-only, which throws outside React Server Components: stand in an empty module, as vitest does.
register(
  `data:text/javascript,${encodeURIComponent('export async function resolve(specifier, context, next) { return specifier === "server-only" ? { url: "data:text/javascript,", shortCircuit: true } : next(specifier, context); }')}`,
);

const { createDatasetsReader, rankSearchEntries } = await import("@/lib/dal/datasets");
const { createUnityCatalogClient } = await import("@/lib/clients/unity-catalog");
const { createSqlClient } = await import("@/lib/clients/sql");
const { createMlflowClient } = await import("@/lib/clients/mlflow");
const { startSandbox } = await import("@/sandbox/testing");

const user: CurrentUser = { id: "bench", oid: "bench", name: "Bench", email: null, roles: ["DataScientist"] };
const noDatabase = {} as never; // getUsage (our own PostgreSQL) is not measured here.
const ms = (start: number) => `${(performance.now() - start).toFixed(1)} ms`;

async function time<T>(label: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const value = await run();
  console.log(`  ${label.padEnd(46)} ${ms(start)}`);
  return value;
}

const sandbox = await startSandbox({ speed: 20 });
try {
  const getToken = async () => sandbox.token;
  let requests = 0;
  const countingFetch: typeof fetch = (input, init) => ((requests += 1), fetch(input, init));
  const reader = createDatasetsReader({
    unityCatalog: createUnityCatalogClient({ baseUrl: sandbox.url, getToken, fetch: countingFetch }),
    sql: createSqlClient({
      baseUrl: sandbox.url,
      getToken,
      warehouseId: "sandbox-warehouse",
      fetch: countingFetch,
    }),
    mlflow: createMlflowClient({ baseUrl: sandbox.url, getToken }),
    db: noDatabase,
  });
  const table = "main.features.customer_features";

  console.log("Sandbox estate (3 catalogs, 14 schemas, 21 tables), SANDBOX_SPEED=20:");
  let before = requests;
  await time("search, cold (builds the index of every catalog)", () =>
    reader.searchDatasets(user, "churn training"),
  );
  console.log(`    ${requests - before} HTTP requests`);
  before = requests;
  await time("search, cached index", () => reader.searchDatasets(user, "customer features"));
  console.log(`    ${requests - before} HTTP requests`);

  await time("table details (columns), cold", () => reader.getTable(user, table));
  await time("table details, cached", () => reader.getTable(user, table));
  await time("lineage, cold", () => reader.getLineage(user, table));
  const start = performance.now();
  await Promise.all([
    reader.getRowCount(user, table),
    reader.getSampleRows(user, table),
    reader.getLatestQuality(user, table),
  ]);
  console.log(`  ${"row count + sample + quality (SQL), cold".padEnd(46)} ${ms(start)}`);
  await time("row count + sample + quality, cached", () =>
    Promise.all([
      reader.getRowCount(user, table),
      reader.getSampleRows(user, table),
      reader.getLatestQuality(user, table),
    ]),
  );
} finally {
  await sandbox.close();
}

// A big metastore: index build time is bounded by listing pages ÷ 4 parallel schema walks.
const schemasCount = Number(process.env.BENCH_UC_SCHEMAS ?? 200);
const tablesPerSchema = Number(process.env.BENCH_UC_TABLES ?? 100);
const pageMs = Number(process.env.BENCH_UC_PAGE_MS ?? 80);
const pageSize = 50;
let pages = 0;
const sleep = (duration: number) => new Promise((resolve) => setTimeout(resolve, duration));
async function* paged<T>(items: T[]) {
  for (let offset = 0; offset < items.length || offset === 0; offset += pageSize) {
    pages += 1;
    await sleep(pageMs);
    yield* items.slice(offset, offset + pageSize);
    if (items.length === 0) break;
  }
}
const schemaNames = Array.from({ length: schemasCount }, (_, i) => `schema_${i}`);
const standIn = {
  iterateCatalogs: () => paged([{ name: "big", comment: "A large catalog" }]),
  iterateSchemas: (catalog: string) =>
    paged(
      schemaNames.map((name) => ({
        name,
        catalogName: catalog,
        fullName: `${catalog}.${name}`,
        comment: `Schema ${name}`,
      })),
    ),
  iterateTables: (catalog: string, schema: string) =>
    paged(
      Array.from({ length: tablesPerSchema }, (_, i) => ({
        name: `table_${i}`,
        catalogName: catalog,
        schemaName: schema,
        fullName: `${catalog}.${schema}.table_${i}`,
        tableType: "MANAGED",
        comment: `Feature table ${i} for churn and usage ${schema}`,
        properties: {},
      })),
    ),
} as never;
const big = createDatasetsReader({
  unityCatalog: standIn,
  sql: {} as never,
  mlflow: {} as never,
  db: noDatabase,
  catalogDeadlineMs: 600_000,
});
console.log(
  `\nStand-in metastore: ${schemasCount} schemas × ${tablesPerSchema} tables, ${pageMs} ms per listing page of ${pageSize}:`,
);
const cold = await time("search, cold (index build)", () => big.searchDatasets(user, "table_7 schema_12"));
console.log(`    ${pages} listing pages; ${cold.searchedEntries.toLocaleString("en")} entries indexed`);
await time("search, cached index", () => big.searchDatasets(user, "churn usage table_42"));

const entries: SearchEntry[] = Array.from({ length: 20_000 }, (_, i) => ({
  kind: "table",
  fullName: `c.s${i % 200}.t_${i}`,
  name: `t_${i}`,
  comment: `comment about churn ${i}`,
  tableType: "MANAGED",
}));
const rankStart = performance.now();
for (let i = 0; i < 20; i++) rankSearchEntries(entries, `t_1${i} churn`);
console.log(
  `  ${"rank 20,000 entries (mean of 20)".padEnd(46)} ${((performance.now() - rankStart) / 20).toFixed(2)} ms`,
);
