#!/usr/bin/env bash
# Checks what the Dockerfile's images are made of, where no image builder runs:
#   every path the Dockerfile copies `--from=build` exists (read from the Dockerfile itself), the
#   Next.js standalone server is there, the worker's and ingest's imports stay inside what their images copy, and
#   with --smoke the web image's layout is assembled in a temporary directory exactly as the `web`
#   target copies it and must answer /api/health.
# Usage: scripts/verify-standalone.sh [--build] [--smoke]     (--build runs `npm run build` first)
set -euo pipefail
cd "$(dirname "$0")/.."

build=false smoke=false
for arg in "$@"; do
  case "$arg" in
    --build) build=true ;;
    --smoke) smoke=true ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

if $build; then npm run build; fi

failures=0
check() {
  if [[ -e "$1" ]]; then echo "  ✓ $1"; else echo "  ✗ $1 is missing ($2)"; failures=$((failures + 1)); fi
}

echo "Paths the Dockerfile copies from the build stage:"
# `COPY --from=build [--chown=...] /app/a /app/b ./dest`: every argument but the last is a source.
while read -r source; do
  check "${source#/app/}" "COPY --from=build in Dockerfile"
done < <(awk '/^COPY --from=build/ { for (i = 2; i < NF; i++) if ($i !~ /^--/) print $i }' Dockerfile)

echo "What the images run:"
check .next/standalone/server.js "the web CMD; needs output: \"standalone\" in next.config.js"
check lib/db/generated "the Prisma client the worker imports; npm install generates it"
check workers/main.ts "the worker CMD"
check scripts/ingest.ts "the ingest CMD"
check prisma/migrations "what the migrate image applies"

echo "What the worker image runs with (its CMD is node --import tsx, with production dependencies only):"
if node -e 'process.exit(require("./package.json").dependencies?.tsx ? 0 : 1)'; then
  echo "  ✓ tsx is a production dependency"
else
  echo "  ✗ tsx is not in dependencies: the worker image (npm ci --omit=dev) could not start"; failures=$((failures + 1))
fi
# Every source file a tsx-run image's entry points import must be inside what its stage copies.
check_imports() {
  local target=$1 entries=$2 sources outside
  sources=$(awk -v target="$target" '$0 ~ "^FROM .* AS " target "$" { inside = 1; next } /^FROM / { inside = 0 } inside && /^COPY --from=build/ { for (i = 2; i < NF; i++) if ($i !~ /^--/) print substr($i, 6) }' Dockerfile)
  if outside=$(SOURCES="$sources" ENTRIES="$entries" node --input-type=module -e '
    import { build } from "esbuild";
    const copied = process.env.SOURCES.split("\n");
    const { metafile } = await build({ entryPoints: process.env.ENTRIES.split(" "), bundle: true, platform: "node", format: "esm", packages: "external", write: false, metafile: true, outdir: "unused", logLevel: "error" });
    const missing = Object.keys(metafile.inputs).filter((file) => !copied.some((dir) => file === dir || file.startsWith(dir + "/")));
    console.log(missing.join(" "));
    process.exit(missing.length ? 1 : 0);'); then
    echo "  ✓ everything the ${target} imports is copied into its image"
  else
    echo "  ✗ the ${target} imports files its image does not copy: ${outside}"; failures=$((failures + 1))
  fi
}
check_imports worker "workers/main.ts infra/docker/worker-healthcheck.ts"
check_imports ingest "scripts/ingest.ts"

if ((failures)); then
  echo "verify-standalone: ${failures} problem(s); the images would not build or start" >&2
  exit 1
fi

if $smoke; then
  image=$(mktemp -d)
  trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$image"' EXIT
  cp -R .next/standalone/. "$image/"
  mkdir -p "$image/.next" && cp -R .next/static "$image/.next/static"
  cp -R public "$image/public"
  port=$(node -e 'const s = require("net").createServer().listen(0, () => { console.log(s.address().port); s.close(); })')
  # exec, so $! is the server itself and the EXIT trap stops it, not just a subshell.
  # Production refuses the public development secrets; these throwaway ones are lib/testing/secrets.ts's.
  (cd "$image" && NODE_ENV=production NEXTAUTH_SECRET=switchboard-test-stack-session-secret-not-for-real-use \
    INGEST_SHARED_SECRET=switchboard-test-stack-ingest-secret PORT="$port" HOSTNAME=127.0.0.1 exec node server.js >"$image/server.log" 2>&1) &
  server=$!
  for _ in $(seq 1 60); do
    if status=$(curl --silent --output /dev/null --write-out '%{http_code}' "http://127.0.0.1:${port}/api/health") && [[ "$status" == 200 ]]; then
      echo "  ✓ the assembled web image answers /api/health with 200"
      exit 0
    fi
    sleep 1
  done
  echo "  ✗ the assembled web image did not answer /api/health with 200 (last status: ${status:-none}); its log:" >&2
  cat "$image/server.log" >&2
  exit 1
fi
echo "verify-standalone: OK"
