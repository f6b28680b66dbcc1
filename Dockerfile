# Production image of the Estrade server (web app included). PostgreSQL and LiveKit run as
# their own services: see docker-compose.yml.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY libs/protocol/package.json libs/protocol/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc -b libs/protocol apps/server && npm run build -w @estrade/web && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
USER node
EXPOSE 3000
CMD ["node", "apps/server/dist/apps/server/src/main.js"]
