/**
 * npm run build:explorer [-- --if-stale]
 * Bundles the gateway's browser apps (GraphiQL and the operator console) with esbuild into
 * gateway/explorer/public, where the gateway serves them: every script, style, font and web worker the pages
 * use comes from the gateway, none from a CDN. `--if-stale` skips the build when the bundles are newer than
 * the sources and the lock file. Runs on `npm install` (prepare), before `npm start` and before the tests.
 */
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  explorerAppPath,
  explorerAssetsPath,
  operationsPath,
  projectRoot,
} from '../../subgraphs/shared/config/paths.js';

/** Written last: its presence means a complete build, its time the build's. */
export const BUILD_STAMP = 'build-stamp.json';

const newestSource = (): number => {
  const files = readdirSync(explorerAppPath()).map((f) => join(explorerAppPath(), f));
  // The GraphiQL tabs are the published operations, bundled as text.
  files.push(...readdirSync(operationsPath()).map((f) => operationsPath(f)));
  files.push(
    resolve(projectRoot(), 'package-lock.json'),
    resolve(import.meta.dirname, 'build-explorer-app.ts'),
  );
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
};

export function explorerBuildIsStale(): boolean {
  const stamp = join(explorerAssetsPath(), BUILD_STAMP);
  return !existsSync(stamp) || statSync(stamp).mtimeMs < newestSource();
}

export async function buildExplorerApp(): Promise<{ files: number; bytes: number; ms: number }> {
  const started = Date.now();
  const app = explorerAppPath();
  const out = explorerAssetsPath();
  rmSync(out, { recursive: true, force: true });
  const modules = (name: string) => resolve(projectRoot(), 'node_modules', name);
  const result = await build({
    entryPoints: {
      graphiql: join(app, 'graphiql-page.tsx'),
      console: join(app, 'console-page.ts'),
      // Monaco's language services, each a module worker created by monaco-workers.ts.
      'editor.worker': modules('monaco-editor/esm/vs/editor/editor.worker.js'),
      'json.worker': modules('monaco-editor/esm/vs/language/json/json.worker.js'),
      'graphql.worker': modules('monaco-graphql/esm/graphql.worker.js'),
    },
    outdir: out,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    // Fonts and images stay inside the CSS, so the pages need no other origin and no other path.
    loader: {
      '.graphql': 'text',
      '.ttf': 'dataurl',
      '.woff': 'dataurl',
      '.woff2': 'dataurl',
      '.svg': 'dataurl',
      '.png': 'dataurl',
    },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
    metafile: true,
  });
  const outputs = Object.entries(result.metafile.outputs);
  const bytes = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
  writeFileSync(join(out, BUILD_STAMP), JSON.stringify({ builtAt: new Date().toISOString() }) + '\n');
  return { files: outputs.length, bytes, ms: Date.now() - started };
}

if (import.meta.filename === resolve(process.argv[1] ?? '')) {
  if (process.argv.includes('--if-stale') && !explorerBuildIsStale()) {
    console.log('Explorer bundles are up to date (gateway/explorer/public).');
  } else {
    console.log('Bundling GraphiQL and the operator console with esbuild…');
    const { files, bytes, ms } = await buildExplorerApp();
    console.log(
      `Built ${files} files (${(bytes / 2 ** 20).toFixed(1)} MiB) into gateway/explorer/public in ${(ms / 1000).toFixed(1)} s.`,
    );
  }
}
