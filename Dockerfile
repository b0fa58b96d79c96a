# One image for every service of the federation; the command picks the service (see docker-compose.yml).
# Production runs the compiled JavaScript: no TypeScript loader and no source-map stack traces on the hot path.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY schema ./schema
COPY operations ./operations
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY scripts ./scripts
COPY tools ./tools
COPY test ./test
RUN npm run build
# GraphiQL and the operator console, bundled into gateway/explorer/public (served only when EXPLORER_ENABLED=true).
RUN node --import tsx gateway/explorer/build-explorer-app.ts

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY schema ./schema
COPY --from=build /app/dist ./dist
COPY --from=build /app/gateway/explorer/public ./gateway/explorer/public
USER node
ENTRYPOINT ["node"]
CMD ["dist/gateway/index.js"]
