const { execFileSync } = require('node:child_process');
const { resolve } = require('node:path');

// Each test run gets its own Redis key prefix so runs against a shared Redis never see each other's keys.
// The gateway serves GraphiQL and the console from bundles built from gateway/explorer/app: built here when
// missing or older than their sources, as `npm install` and `npm start` do.
module.exports = async () => {
  if (!process.env.TEST_RUN_ID) {
    process.env.TEST_RUN_ID = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  }
  execFileSync(
    process.execPath,
    ['--import', 'tsx', resolve(__dirname, '../gateway/explorer/build-explorer-app.ts'), '--if-stale'],
    { stdio: ['ignore', 'ignore', 'inherit'], cwd: resolve(__dirname, '..') },
  );
};
