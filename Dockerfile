# syntax=docker/dockerfile:1
# One image for every process of the distributed shape: the hub (default command), the worker
# (`node dist/apps/worker/src/main.js`) and the one-shot migration (`node dist/libs/database/src/cli/migrate.js`).

# --- build: all dependencies, compile TypeScript to dist/ ---------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 and sharp download prebuilt binaries; the toolchain is the fallback where none fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY libs/plugin-sdk/package.json libs/plugin-sdk/package.json
RUN npm ci
COPY . .
RUN npm run build && node scripts/build-console.mjs --force

# --- deps: production dependencies only ---------------------------------------------------------
FROM node:24-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY libs/plugin-sdk/package.json libs/plugin-sdk/package.json
RUN npm ci --omit=dev && npm cache clean --force

# --- runtime: compiled code and production dependencies, no toolchain, not root -----------------
FROM node:24-bookworm-slim AS runtime
# MALLOC_MMAP_THRESHOLD_: glibc's 128 KiB threshold, fixed. Left to itself glibc raises it (up to 32 MiB)
# after freeing a large block, and the image buffers of media fitting (megabytes each) then stay in its
# heaps after they are freed: a 24-megapixel photo fitted for six platforms peaks near 700 MB instead of
# about 320 MB. The npm start scripts set the same (package.json).
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=deps --chown=node:node /app/libs/plugin-sdk/package.json ./libs/plugin-sdk/package.json
COPY --from=build --chown=node:node /app/dist ./dist
# The web console, served by the hub at `/`.
COPY --from=build --chown=node:node /app/apps/console/dist ./apps/console/dist
COPY --chown=node:node package.json ./
# Uploaded media (TONGFA_MEDIA_DIR=data/media) live here; compose mounts a volume on it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/apps/hub/src/main.js"]
