import type { Connection } from 'mongoose';
import { PointsLedger, pointsLedgerModel } from '../subgraphs/benefits/data/points-ledger.js';
import { useConformanceDatabase } from '../tools/embedded-mongo/conformance/test-fixture.js';

export interface LedgerDatabase {
  readonly connection: Connection;
  /** The points ledger on `connection`, its indexes built. */
  readonly ledger: PointsLedger;
}

/**
 * Registers the suite's `beforeAll`/`afterAll`: a database of its own named after `area`, with a mongoose
 * connection and the points ledger ready, dropped and closed after the suite. Readable from the first test on.
 */
export function useLedgerDatabase(area: string): LedgerDatabase {
  const database = useConformanceDatabase(area, { mongoose: true });
  let ledger: PointsLedger | undefined;

  beforeAll(async () => {
    const Ledger = pointsLedgerModel(database.connection);
    await Ledger.init();
    ledger = new PointsLedger(Ledger);
  });

  return {
    get connection() {
      return database.connection;
    },
    get ledger() {
      if (!ledger) throw new Error(`the ${area} ledger is opened in beforeAll`);
      return ledger;
    },
  };
}
