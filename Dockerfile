# syntax=docker/dockerfile:1.7
# One Dockerfile, five images, all from the same checkout and lockfile:
#   web      Next.js standalone server               docker build --target web .
#   worker   workers/main.ts, run by tsx              docker build --target worker .
#   ingest   scripts/ingest.ts, payload-logger ingest docker build --target ingest .
#   migrate  `prisma migrate deploy` + app login job docker build --target migrate .
#   sandbox  the local cloud emulator (compose only) docker build --target sandbox .
# scripts/verify-standalone.sh checks, after `npm run build`, that every path copied `--from=build`
# below exists; CI runs it where no image builder is available.

ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV NEXT_TELEMETRY_DISABLED=1
WORKDIR /app

# Full install (dev dependencies are needed to build). openssl lets Prisma's installer pick the
# debian-openssl-3.0.x schema engine that `prisma migrate deploy` runs; the postinstall script
# generates the Prisma client, so the schema comes in before `npm ci`.
FROM base AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build

# Runtime dependencies only, for the worker and ingest (the web image carries Next's own traced node_modules).
# No scripts: the postinstall would run `prisma generate`, a dev tool; the client comes from build.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM base AS web
ENV NODE_ENV=production \
    PORT=3000 \
    HOSTNAME=0.0.0.0
# server.js binds to $HOSTNAME; Docker sets HOSTNAME to the container id, hence the explicit 0.0.0.0.
COPY --from=build --chown=node:node /app/public ./public
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/.next/static ./.next/static
USER node
EXPOSE 3000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]

FROM base AS worker
# SWITCHBOARD_SERVICE names the process in every log line (lib/logger.ts).
ENV NODE_ENV=production \
    SWITCHBOARD_SERVICE=worker
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/package.json /app/tsconfig.json ./
COPY --from=build --chown=node:node /app/lib ./lib
COPY --from=build --chown=node:node /app/workers ./workers
COPY --from=build --chown=node:node /app/infra/docker/worker-healthcheck.ts ./infra/docker/
USER node
STOPSIGNAL SIGTERM
# Healthy while this container's worker has beaten into Redis recently (lib/queue/heartbeat.ts).
HEALTHCHECK --interval=15s --timeout=10s --start-period=30s --retries=3 \
  CMD ["node", "--import", "tsx", "infra/docker/worker-healthcheck.ts"]
# `npm run worker` without npm in between, so SIGTERM reaches the worker's own shutdown handler.
CMD ["node", "--import", "tsx", "workers/main.ts"]

FROM base AS ingest
# The canonical POST /api/ingest/kserve (lib/ingest/server.ts): plain node:http, no Next.js.
ENV NODE_ENV=production \
    SWITCHBOARD_SERVICE=ingest \
    INGEST_PORT=3001
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/package.json /app/tsconfig.json ./
COPY --from=build --chown=node:node /app/lib ./lib
COPY --from=build --chown=node:node /app/scripts/ingest.ts ./scripts/
USER node
EXPOSE 3001
# On SIGTERM it stops accepting, finishes requests in flight, flushes its buffer, then exits.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.INGEST_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "scripts/ingest.ts"]

# Runs to completion and exits non-zero on failure, so a job runner (compose, Container Apps Jobs)
# can gate the rollout on it.
# Migrations run as the tables' owner (DATABASE_OWNER_URL); scripts/migrate.ts then finds nothing
# pending and gives the apps' least-privilege login (DATABASE_URL) its password and checks its rights.
FROM deps AS migrate
COPY tsconfig.json ./
COPY lib/config/index.ts ./lib/config/index.ts
COPY lib/db/migrate.ts ./lib/db/migrate.ts
COPY scripts/migrate.ts ./scripts/migrate.ts
USER node
CMD ["sh", "-c", "npx --no-install prisma migrate deploy && node --import tsx scripts/migrate.ts"]

# Development only: the emulated cloud for compose.yaml; never pushed to a registry.
FROM deps AS sandbox
COPY . .
USER node
EXPOSE 4010
CMD ["node", "--import", "tsx", "sandbox/main.ts"]
