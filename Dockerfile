# One image for every service of the federation; the command picks the service (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY tsconfig.json ./
COPY schema ./schema
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY scripts ./scripts
COPY tools ./tools
# GraphiQL and the operator console, bundled into gateway/explorer/public (served only when EXPLORER_ENABLED=true).
RUN node --import tsx gateway/explorer/build-explorer-app.ts
USER node
# tsx runs the TypeScript sources directly (it is a runtime dependency).
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["gateway/index.ts"]
