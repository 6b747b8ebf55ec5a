import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { getConfig, ownerDatabaseUrl } from "@/lib/config";
import { applyMigrations, MigrationError } from "@/lib/db/migrate";

// `npm run db:migrate [-- --create-database]`: applies prisma/migrations as the tables' owner
// (DATABASE_OWNER_URL) without Prisma's native engine, recording them as `prisma migrate deploy` does,
// then makes sure DATABASE_URL's login exists with its password and only the app's grants. After
// `prisma migrate deploy` it finds nothing pending and does the second part alone.
const { values } = parseArgs({
  options: {
    "create-database": { type: "boolean", default: false },
    "migrations-dir": { type: "string" },
  },
});
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const migrationsDir = path.resolve(values["migrations-dir"] ?? path.join(root, "prisma/migrations"));
const config = getConfig();
const started = performance.now();

try {
  const { applied } = await applyMigrations({
    databaseUrl: ownerDatabaseUrl(config),
    appDatabaseUrl: config.DATABASE_URL,
    migrationsDir,
    createDatabase: values["create-database"],
    log: (line) => console.log(line),
  });
  const elapsed = Math.round(performance.now() - started);
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s) in ${elapsed} ms.`
      : "No pending migrations to apply.",
  );
} catch (error) {
  console.error(error instanceof MigrationError ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
}
