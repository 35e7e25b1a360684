# The whole API in one process (the same as `npm start`, without the local broker): give it
# KAFKA_BROKERS and DATABASE_URL. `docker compose --profile app up -d` runs it beside Kafka and Postgres.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches patches
# The `node` dev dependency pins the runtime outside a container; here the image is the runtime,
# so no install script runs but the one that patches dependencies.
RUN npm ci --no-audit --no-fund --ignore-scripts && npx patch-package
COPY tsconfig.json tsconfig.build.json ./
COPY apps apps
COPY libs libs
COPY bench bench
COPY scripts scripts
# The server, then the console's pages (dist/console), as `npm run build` does.
RUN npx tsc -p tsconfig.build.json && npx vite build apps/console

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts
COPY --from=build /app/node_modules/kafkajs node_modules/kafkajs
COPY --from=build /app/dist dist
COPY demo demo
USER node
EXPOSE 3000
CMD ["node", "--enable-source-maps", "dist/apps/standalone/src/main.js"]
