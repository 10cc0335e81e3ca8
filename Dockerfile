# Servio API image: compiled JS on Node 24, production dependencies only (see docker/runtime-deps.sh),
# run as the unprivileged `node` user. Migrations run as a separate release step (see
# docker-compose.yml), never implicitly in production. `npm run image:check` runs the same install
# steps outside Docker and fails when the runtime node_modules reaches 200 MB.

# Build: every dependency, the generated Prisma client and resolver types, then tsc into dist/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json codegen.ts prisma.config.ts ./
COPY prisma ./prisma
COPY schema ./schema
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN npm run build

# Runtime dependencies, installed apart so nothing of the build stage's node_modules leaks in.
FROM node:24-bookworm-slim AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY docker/runtime-deps.sh ./docker/
RUN sh docker/runtime-deps.sh

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=runtime-deps /app/node_modules ./node_modules
# pg_dump/pg_restore/psql for npm run db:backup|db:restore|db:test-restore, from PostgreSQL's own
# apt repository: the client's major version must be at least the server's (compose runs 17).
ARG PG_CLIENT_MAJOR=17
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
  && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
  && apt-get install -y --no-install-recommends postgresql-client-${PG_CLIENT_MAJOR} \
  && rm -rf /var/lib/apt/lists/* \
  && install -d -o node -g node /var/backups/servio
COPY --from=build /app/package.json ./
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/schema ./schema
COPY --from=build /app/operations ./operations
# tsx runs the operational scripts (db:migrate, seed, admin:bootstrap) from src/, generated client included.
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/src ./src
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
