# syntax=docker/dockerfile:1.7
# One Dockerfile, four images, all from the same checkout and lockfile:
#   web      Next.js standalone server               docker build --target web .
#   worker   BullMQ worker bundle (workers/main.ts)  docker build --target worker .
#   migrate  `prisma migrate deploy` as a job        docker build --target migrate .
#   sandbox  the local cloud emulator (compose only) docker build --target sandbox .
# scripts/verify-standalone.sh checks, after `npm run build` and `npm run build:worker`, that every
# path copied `--from=build` below exists; CI runs it where no image builder is available.

ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV NEXT_TELEMETRY_DISABLED=1
WORKDIR /app

# Full install (dev dependencies are needed to build). openssl lets Prisma's installer pick the
# debian-openssl-3.0.x schema engine that `prisma migrate deploy` runs.
FROM base AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npx prisma generate \
 && npm run build \
 && npm run build:worker

# Runtime dependencies only, for the worker (the web image carries Next's own traced node_modules).
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

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
ENV NODE_ENV=production
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist/worker ./dist/worker
USER node
STOPSIGNAL SIGTERM
# Healthy while this container's worker has beaten into Redis recently (lib/queue/heartbeat.ts).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "dist/worker/worker-healthcheck.mjs"]
CMD ["node", "--enable-source-maps", "dist/worker/main.mjs"]

# Runs to completion and exits non-zero on failure, so a job runner (compose, Container Apps Jobs)
# can gate the rollout on it.
FROM deps AS migrate
COPY --chown=node:node prisma ./prisma
COPY --chown=node:node prisma.config.ts ./
USER node
CMD ["npx", "--no-install", "prisma", "migrate", "deploy"]

# Development only: the emulated cloud for compose.yaml; never pushed to a registry.
FROM deps AS sandbox
COPY . .
USER node
EXPOSE 4010
CMD ["node", "--import", "tsx", "sandbox/main.ts"]
