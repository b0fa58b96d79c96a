import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { startTestMongo, uniqueDbName } from '../../tools/embedded-mongo/conformance/test-fixture.js';
import type { TestMongo } from '../../tools/embedded-mongo/conformance/test-fixture.js';
import { runRedeemLoad } from '../../tools/redeem-load/redeem-load.js';

/** A small run of `npm run bench:redeem`: the same calls, retries and invariants, without the figures. */
describe('concurrent redemptions and checkout payments, each retried with the same key', () => {
  let mongo: TestMongo;
  let connection: Connection;

  beforeAll(async () => {
    mongo = await startTestMongo();
    connection = await mongoose
      .createConnection(mongo.uri, { dbName: uniqueDbName('redeemload') })
      .asPromise();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
    await mongo.stop();
  });

  it('oversells nothing, overdraws no one, applies each key once, and settlement agrees with the ledger', async () => {
    const report = await runRedeemLoad({
      connection,
      calls: 300,
      members: 20,
      concurrency: 60,
      scarceStock: 10,
    });
    expect(report.invariants).toEqual({
      membersBelowZero: 0,
      stockBelowZero: 0,
      stockMismatch: 0,
      keysAppliedTwice: 0,
      retriesAnsweredDifferently: 0,
      walletsNotMatchingLedger: 0,
      settlementMinusLedgerPoints: 0,
      liabilityMinusLots: 0,
    });
    // The load reached every case: the scarce benefit ran out, some members were short, some succeeded.
    expect(report.outcomes.OUT_OF_STOCK).toBeGreaterThan(0);
    expect(report.outcomes.INSUFFICIENT_POINTS).toBeGreaterThan(0);
    expect(report.applied.redemptions).toBeGreaterThan(10);
    expect(report.applied.payments).toBeGreaterThan(0);
    expect(report.requests).toBe(600);
  });
});
