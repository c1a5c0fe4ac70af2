# Kantata Groups for Slack: build with the dev tools, run the compiled bot on a slim Node as a non-root user.
#   docker build -t kantata-groups-for-slack .
#   docker run --env-file .env -p 3000:3000 -v groups-data:/app/data kantata-groups-for-slack
# `npm run container:check` runs these same steps (build, then start and health check) without Docker.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so that a change of the sources does not reinstall them. No install scripts: the
# build (tsc's type check, then esbuild's bundle through tsx) needs none; esbuild's binary comes with its
# platform package.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle.ts ./scripts/bundle.ts
COPY src ./src
RUN npm run build
# What the runtime keeps: production dependencies only, and an empty data directory for the volume.
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund
RUN mkdir -p data

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    STORE_URL=file:/app/data/store.json \
    NODE_COMPILE_CACHE=/tmp/node-compile-cache
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build --chown=node:node /app/data ./data
USER node
# The embedded store's file (and its lock and history) live here; keep it on a volume. With
# STORE_URL=postgres://… nothing is written here.
VOLUME ["/app/data"]
EXPOSE 3000
# Liveness only (/healthz): a Kantata or database outage must not get the container restarted; point
# load balancers and orchestrators' readiness at /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
# node itself is PID 1's command (no npm, no shell): SIGTERM reaches the bot, which drains and exits 0.
# The same command as `npm start` (README.md, "Running it as a service", says why the semi-space is 4 MB).
CMD ["node", "--enable-source-maps", "--max-semi-space-size=4", "dist/main.js"]
