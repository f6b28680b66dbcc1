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
# LibreOffice converts ODF and Office uploads (kept running, driven through python3-uno);
# unshare (util-linux) sandboxes it; fonts for slides; qpdf rebuilds damaged PDFs and
# poppler-utils (pdftoppm, pdftotext, pdfinfo) read each page's thumbnail, text and size, all
# under prlimit (util-linux too).
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
     libreoffice-impress-nogui libreoffice-writer-nogui libreoffice-calc-nogui python3-uno \
     fonts-dejavu-core fonts-liberation2 util-linux qpdf poppler-utils \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
CMD ["node", "apps/server/dist/apps/server/src/main.js"]
