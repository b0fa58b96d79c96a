import { randomBytes } from 'node:crypto';

/**
 * A key prefix for one test file: `test:<run>:<label>:<random>:`. The run id comes from the jest global
 * setup (TEST_RUN_ID), so keys of concurrent runs against a shared Redis never meet, and a test file can
 * delete everything it wrote with `deleteRedisKeys(url, prefix)`.
 */
export function testKeyPrefix(label: string): string {
  const run = process.env.TEST_RUN_ID ?? `local${Date.now().toString(36)}`;
  return `test:${run}:${label}:${randomBytes(4).toString('hex')}:`;
}
