# The production image: Next.js's standalone server, no dev dependencies, a non-root user.
#   docker build -t tally .
#   docker compose up        (compose.yaml: PostgreSQL, migrations, then the app)
# Migrations are a separate command (the `migrate` target), run once per deploy before the app
# starts: the app refuses to start while any is pending. CI for forks: .github/workflows/ci.yml.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# Has every dependency: builds the app, and runs `npm run db:migrate` (compose.yaml's migrate service).
FROM deps AS migrate
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
CMD ["npm", "run", "db:migrate"]

FROM migrate AS build
ENV NEXT_OUTPUT=standalone
RUN npm run build

FROM node:20-bookworm-slim AS app
WORKDIR /app
# Listens on every interface of the container. Without configuration the demo's powers (emulator,
# mailbox, demo server key) answer only loopback, so nothing from outside reaches them; start-up
# says so. Configure APP_URL, BETTER_AUTH_SECRET and Stripe keys, or TALLY_DEMO=1 for a public demo.
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
RUN groupadd --system tally && useradd --system --gid tally --home-dir /app tally \
  && mkdir -p /app/data && chown tally:tally /app/data
COPY --from=build --chown=tally:tally /app/.next/standalone ./
COPY --from=build --chown=tally:tally /app/.next/static ./.next/static
COPY --from=build --chown=tally:tally /app/public ./public
# Read at start-up to refuse a database with pending migrations.
COPY --from=build --chown=tally:tally /app/db/migrations ./db/migrations
COPY --from=build --chown=tally:tally /app/db/migrations-pg ./db/migrations-pg
# The Stripe emulator (a demo without Stripe keys) keeps its own store and migrations.
COPY --from=build --chown=tally:tally /app/lib/stripe/emulator/migrations ./lib/stripe/emulator/migrations
USER tally
EXPOSE 3000
CMD ["node", "server.js"]
