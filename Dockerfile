# syntax=docker/dockerfile:1
# Backtrack's image: `docker build -t backtrack .`, then `docker compose up` (compose.yaml) or
# `docker run -p 8080:8080 -v backtrack-data:/data backtrack`. See docs/operations.md.

# Build stage: every dependency, dev ones included, to build the web console into web/dist.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY . .
# `npm ci` runs the `prepare` script, which builds web/dist; build-web.ts again finds it current
# (or builds it) and the test fails the image if there is still none.
RUN npm ci --no-audit --no-fund \
 && node --disable-warning=ExperimentalWarning web/tools/build-web.ts \
 && test -f web/dist/index.html

# Final stage: production dependencies only, and the console built above. The same install and
# start command are run by test/cli/production-install.test.ts.
FROM node:24-bookworm-slim
# node_modules/.bin first: `node` is then the Node.js the `node` dependency installs, as under npm.
ENV NODE_ENV=production \
    PATH=/app/node_modules/.bin:$PATH \
    HOST=0.0.0.0 \
    PORT=8080 \
    BACKTRACK_DB=/data/backtrack.db \
    BACKTRACK_UNWRITTEN_CLICKS=/data/unwritten-clicks.jsonl
WORKDIR /app
COPY . .
COPY --from=build /app/web/dist web/dist
# The app's files stay root's: the server, running as `node`, can write only to /data.
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && mkdir -p /data \
 && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# A standalone worker (`worker`) answers /healthz only where BACKTRACK_WORKER_METRICS_PORT says.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.BACKTRACK_WORKER_METRICS_PORT || process.env.PORT || 8080}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# bin/backtrack.js starts Node with its memory flags (its shebang) and handles SIGTERM itself.
ENTRYPOINT ["/app/bin/backtrack.js"]
CMD ["serve"]
