# Qyzmet server image: the API, the dashboard and the ingest worker in one small runtime, run as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY sql/package.json sql/
COPY fixtures/package.json fixtures/
COPY api/package.json api/
COPY ingest/package.json ingest/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 QYZMET_DATA_DIR=/var/lib/qyzmet
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/sql sql
COPY --from=build --chown=node:node /app/fixtures fixtures
COPY --from=build --chown=node:node /app/api api
COPY --from=build --chown=node:node /app/ingest ingest
COPY --from=build --chown=node:node /app/web/dist web/dist
COPY --from=build --chown=node:node /app/web/package.json web/package.json
# The portal's PNG charts are drawn with the system's fonts: DejaVu has Kazakh and Russian letters.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /var/lib/qyzmet /drop && chown node:node /var/lib/qyzmet /drop
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "api/src/main.ts"]
