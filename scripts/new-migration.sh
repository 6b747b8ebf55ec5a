#!/usr/bin/env bash
# Writes the next migration offline: prisma/migrations/<UTC timestamp>_<name>/migration.sql holds the
# SQL that takes the database from what the existing migrations build to what schema.prisma says.
#
#   scripts/new-migration.sh add_alert_snooze     # write the migration (review it before committing)
#   scripts/new-migration.sh --check              # exit 1 if schema.prisma has changes no migration has
#
# Prisma 7's native schema engine cannot be downloaded here, so this runs Prisma 6.19's Wasm schema
# engine (`engine: "js"` + @prisma/adapter-pg) from a tool directory outside the repo. The existing
# migrations are applied by our own migrator (lib/db/migrate.ts, as `npm run db:migrate` does) to a
# scratch database on MIGRATION_DIFF_ADMIN_URL's server, created and dropped here; the Wasm engine
# introspects it (`db pull`) and diffs that datamodel with schema.prisma. (Its own `--from-migrations`
# replay fails with P3006: it splits scripts on every `;`, breaking `$$` bodies, and keeps no
# `_prisma_migrations`; with an adapter it refuses `--from-url`.) See docs/decisions/001-offline-migrations.md.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
migrations="$repo/prisma/migrations"
tool_dir="${PRISMA6_TOOL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/switchboard/prisma-6.19.3}"
admin_url="${MIGRATION_DIFF_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"

check=false
name=""
for arg in "$@"; do
  case "$arg" in
    --check) check=true ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) name="$arg" ;;
  esac
done
if ! $check && [[ ! "$name" =~ ^[a-z0-9_]+$ ]]; then
  echo "usage: $0 <snake_case_name> | --check" >&2
  exit 2
fi

if [[ ! -x "$tool_dir/node_modules/.bin/prisma" ]]; then
  echo "Installing Prisma 6.19.3 (Wasm schema engine) into $tool_dir ..." >&2
  mkdir -p "$tool_dir"
  echo '{ "private": true }' > "$tool_dir/package.json"
  # No install scripts: @prisma/engines' postinstall would try to download the native engines.
  npm install --prefix "$tool_dir" --ignore-scripts --no-audit --no-fund --silent \
    prisma@6.19.3 @prisma/adapter-pg@6.19.3 pg@8 >&2
fi

cat > "$tool_dir/prisma.config.ts" <<'EOF'
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// adapter-pg 6.19 cannot map pg_catalog's `name` and `"char"` columns, which the schema describer
// reads; they arrive as strings anyway, so report them as text (and text[]).
const asText: Record<number, number> = { 18: 25, 19: 25, 1002: 1009, 1003: 1009 };
for (const prototype of [pg.Client.prototype, pg.Pool.prototype] as unknown as { query: (...args: unknown[]) => unknown }[]) {
  const query = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const result = query.apply(this, args);
    if (!(result instanceof Promise)) return result;
    return result.then((r: { fields?: { dataTypeID: number }[] }) => {
      for (const field of r?.fields ?? []) field.dataTypeID = asText[field.dataTypeID] ?? field.dataTypeID;
      return r;
    });
  };
}

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: "schema.prisma",
  adapter: async () => new PrismaPg({ connectionString: process.env.MIGRATION_DIFF_DATABASE_URL! }),
} as never);
EOF

# Prisma 6 wants a datasource url even though the adapter replaces it.
awk '/^datasource /{ds=1} {print} ds && /^[[:space:]]*provider[[:space:]]*=/{print "  url      = \"postgresql://unused\""; ds=0}' \
  "$repo/prisma/schema.prisma" > "$tool_dir/schema.prisma"

scratch="migration_diff_$(date +%s)_$RANDOM"
pg_admin() {
  NODE_PATH="$tool_dir/node_modules" ADMIN_URL="$admin_url" SQL="$1" node -e '
    const pg = require("pg");
    const client = new pg.Client({ connectionString: process.env.ADMIN_URL });
    client.connect().then(() => client.query(process.env.SQL)).finally(() => client.end())
      .catch((error) => { console.error(error.message); process.exit(1); });'
}
pg_admin "CREATE DATABASE \"$scratch\""
trap 'pg_admin "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)"' EXIT

scratch_url="${admin_url%/*}/$scratch"
(cd "$repo" && SCRATCH_URL="$scratch_url" MIGRATIONS_DIR="$migrations" ./node_modules/.bin/tsx --eval '
  import("./lib/db/migrate.ts").then(({ applyMigrations }) =>
    applyMigrations({ databaseUrl: process.env.SCRATCH_URL, migrationsDir: process.env.MIGRATIONS_DIR }));') >&2

prisma() {
  (cd "$tool_dir" && MIGRATION_DIFF_DATABASE_URL="$scratch_url" \
    PRISMA_QUERY_ENGINE_LIBRARY="$tool_dir/package.json" PRISMA_SCHEMA_ENGINE_BINARY="$tool_dir/package.json" \
    PRISMA_HIDE_UPDATE_MESSAGE=1 ./node_modules/.bin/prisma "$@")
}
# Re-introspection keeps schema.prisma's model names; what it prints before the schema is a warning.
prisma db pull --print --schema schema.prisma 2>/dev/null | sed -n '/^generator /,$p' > "$tool_dir/migrated.prisma"
sql="$(prisma migrate diff --from-schema-datamodel migrated.prisma --to-schema-datamodel schema.prisma --script)"

if grep -q "This is an empty migration." <<<"$sql"; then
  echo "schema.prisma and prisma/migrations agree: nothing to migrate." >&2
  exit 0
fi
if $check; then
  echo "schema.prisma has changes that no migration carries. Run scripts/new-migration.sh <name>. Missing SQL:" >&2
  echo "$sql"
  exit 1
fi

stamp="$(date -u +%Y%m%d%H%M%S)"
latest="$(find "$migrations" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort | tail -n 1)"
if [[ -n "$latest" && "${stamp}_$name" < "$latest" ]]; then
  echo "The clock says $stamp, earlier than the latest migration $latest: fix the clock." >&2
  exit 1
fi
mkdir -p "$migrations/${stamp}_$name"
printf '%s\n' "$sql" > "$migrations/${stamp}_$name/migration.sql"
echo "Wrote prisma/migrations/${stamp}_$name/migration.sql. Review it (data loss, hand-written SQL such as" >&2
echo "triggers is never generated), then apply it with npm run db:migrate." >&2
