# Controller image. Build from the repository root:
#   docker build -t vireo-controller:0.1.0 .
# The build stage bundles the controller (`npm run build` → dist/controller.mjs: the project's code and a
# tree-shaken @kubernetes/client-node; the other dependencies stay in node_modules). Running the bundle
# under plain node instead of src/main.ts under tsx saves ~150 MB of RSS at start (tsx's loader ~90 MB,
# client-node's full barrel ~60 MB); see docs/benchmarks.md. The runtime stage has only production
# dependencies.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npx tsx scripts/build.ts

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist/controller.mjs ./dist/controller.mjs
# The plugin bundle and the dashboard UI, for deploy/dashboard/ (`node dist/kubectl-vireo.mjs dashboard --in-cluster`).
COPY --from=build /app/dist/kubectl-vireo.mjs ./dist/kubectl-vireo.mjs
COPY --from=build /app/dist/chunks ./dist/chunks
COPY --from=build /app/dist/dashboard ./dist/dashboard
# Numeric non-root user (the image's `node` user), so Kubernetes can verify runAsNonRoot.
USER 1000:1000
# 8080: /healthz and /readyz; 8090: metrics (as in Argo Rollouts).
EXPOSE 8080 8090
# Node flags: CONTROLLER_NODE_FLAGS in scripts/controller-bundle.ts (the benches run the bundle with the same).
ENTRYPOINT ["node", "--max-semi-space-size=2", "dist/controller.mjs"]
