# Controller image. Build from the repository root:
#   docker build -t vireo-controller:0.1.0 .
# package.json has no build script yet, so the image runs the TypeScript sources with tsx (a dev
# dependency, hence the full `npm ci`). Once a build script exists, run `npm run build` in the build
# stage and copy only the output and production dependencies (`npm ci --omit=dev`).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
# Numeric non-root user (the image's `node` user), so Kubernetes can verify runAsNonRoot.
USER 1000:1000
# 8080: /healthz and /readyz; 8090: metrics (as in Argo Rollouts).
EXPOSE 8080 8090
ENTRYPOINT ["node", "--import", "tsx", "src/main.ts"]
