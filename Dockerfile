# syntax=docker/dockerfile:1
# PyGuard GitHub App. Build: docker build -t pyguard .
# Run:   docker run --rm -p 3000:3000 -e APP_ID=… -e PRIVATE_KEY="$(cat key.pem)" \
#          -e WEBHOOK_SECRET=… pyguard
# Replicated (Redis, one web, two workers): docker compose up (see compose.yaml).
ARG NODE_VERSION=22

# --- build: compiles TypeScript, tree-sitter's native addon and PyGuard's flat-tree addon ---
# tree-sitter 0.25's prebuilt binary needs a newer libstdc++ than Debian 12 ships, so npm
# compiles it from source here (python3, make, g++); `npm ci` also builds PyGuard's own addon
# (native/, binding.gyp), which the image requires rather than falling back to the binding.
FROM node:${NODE_VERSION}-bookworm AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json binding.gyp ./
COPY native ./native
RUN npm ci --no-audit --no-fund && test -f build/Release/pyguard_flat_tree.node
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY rules ./rules
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: the same Debian release, so the compiled addon finds the libraries it was built
# against; no compiler, no dev dependencies, not root.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/build/Release/pyguard_flat_tree.node ./build/Release/pyguard_flat_tree.node
COPY app.yml ./app.yml
USER node
EXPOSE 3000
# Every role answers GET /healthz while the process is alive (/readyz also checks Redis and
# the queue: use it for load-balancer readiness).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# On SIGTERM PyGuard stops taking jobs and gives running scans PYGUARD_SHUTDOWN_GRACE_MS
# (25 s) to finish; with Redis the rest stay queued for another worker. Give the container a
# longer stop timeout than that (compose.yaml: stop_grace_period: 40s).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/github/main.js"]
