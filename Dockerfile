# syntax=docker/dockerfile:1
# The roles of the scale-out profile (docs/scale-out.md). Build from the repository root:
#   docker build -t unmogrowp .                                  scale-out image, no embedded engines
#   docker build --build-arg WITH_EMBEDDED_ENGINES=1 -t unmogrowp .   also runs the embedded profile
#
# The build stage runs what CI runs (.ci/run): npm install (its postinstall builds the
# dashboard), the type-check and the lint. Keep the two in step.

ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# argon2 and other native modules build from source when no prebuilt binary fits.
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 make g++ >/dev/null \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc biome.json tsconfig.json vitest.config.ts ./
COPY packages packages
COPY bench bench
RUN npm install --no-audit --no-fund
RUN npx tsc -p tsconfig.json
RUN npm run lint

# Runtime dependencies only. chDB (~540 MB) and PGlite are the embedded profile's engines; the
# scale-out roles never load them (packages/server/test/engines-not-loaded.e2e.test.ts), so the
# default image deletes them. Both stay ordinary dependencies of @unmogrowp/storage, so
# `npm install && npm start` is unchanged.
ARG WITH_EMBEDDED_ENGINES=0
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
  && if [ "$WITH_EMBEDDED_ENGINES" != "1" ]; then rm -rf node_modules/chdb node_modules/@electric-sql/pglite; fi \
  && rm -rf packages/*/test bench packages/dashboard/node_modules/.vite

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /app /app
RUN mkdir -p /data && chown node:node /data
USER node
# ingest, api, worker (ops listener)
EXPOSE 8081 3003 8082
ENTRYPOINT ["node", "packages/cli/bin/unmogrowp.cjs"]
CMD ["start"]
