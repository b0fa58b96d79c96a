import { resolve } from 'node:path';

/**
 * Files the services read, relative to the project root. Services and scripts run from the project root
 * (npm scripts, Dockerfile WORKDIR); `PROJECT_ROOT` overrides that.
 */
export const projectRoot = (): string => resolve(process.env.PROJECT_ROOT ?? process.cwd());
export const schemaPath = (...parts: string[]): string => resolve(projectRoot(), 'schema', ...parts);
export const partnerRegistryPath = (): string => schemaPath('partners.json');
export const supergraphPath = (): string => schemaPath('supergraph.graphql');
/** The gateway's browser apps (GraphiQL, the operator console): sources, and the bundles built from them. */
export const explorerAppPath = (): string => resolve(projectRoot(), 'gateway', 'explorer', 'app');
export const explorerAssetsPath = (): string => resolve(projectRoot(), 'gateway', 'explorer', 'public');
/** The operations clients run (`*.graphql`) and their published manifest (`npm run operations:publish`). */
export const operationsPath = (...parts: string[]): string => resolve(projectRoot(), 'operations', ...parts);
export const operationManifestPath = (): string => operationsPath('manifest.json');
