# One image for every service of the federation; the command picks the service (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY tsconfig.json ./
COPY schema ./schema
COPY operations ./operations
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY scripts ./scripts
COPY tools ./tools
USER node
# tsx runs the TypeScript sources directly (it is a runtime dependency).
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["gateway/index.ts"]
