# Servio API image: compiled JS on Node 24. Migrations run as a separate release step
# (see docker-compose.yml), never implicitly in production.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json codegen.ts prisma.config.ts ./
COPY prisma ./prisma
COPY schema ./schema
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
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
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/schema ./schema
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/src ./src
USER node
EXPOSE 4000
CMD ["node", "dist/main.js"]
