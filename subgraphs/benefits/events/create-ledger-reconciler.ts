import type { Connection } from 'mongoose';
import { brandModels } from '../../brand/data/brand-models.js';
import { PublishedEventLog } from '../../brand/data/published-event-log.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import type { ActivityStream } from '../../shared/streams/activity-stream.js';
import { pointsLedgerModel } from '../data/points-ledger.js';
import { ReconciliationStore } from '../data/reconciliation-store.js';
import type { EarningRules } from '../domain/earning-rules.js';
import type { ReconciliationTiming } from '../domain/ledger-reconciliation.js';
import { LedgerReconciler } from './ledger-reconciler.js';

/**
 * The sweep over every partner of the registry, as the benefits service runs it and `npm run reconcile`
 * runs it on demand: each brand's database read-only, the ledger and the watermarks in `benefits`.
 */
export function createLedgerReconciler(options: {
  registry: PartnerRegistry;
  benefits: Connection;
  brandConnections: ReadonlyMap<string, Connection>;
  stream: ActivityStream;
  rules: EarningRules;
  timing: ReconciliationTiming;
  now?: () => Date;
}): LedgerReconciler {
  const sources = options.registry.partners.map((partner) => {
    const connection = options.brandConnections.get(partner.key);
    if (!connection) throw new Error(`reconciliation: no database for partner "${partner.key}"`);
    return new PublishedEventLog(partner.key, brandModels(connection).Event);
  });
  return new LedgerReconciler({
    sources,
    store: new ReconciliationStore(options.benefits, pointsLedgerModel(options.benefits)),
    stream: options.stream,
    rules: options.rules,
    timing: options.timing,
    now: options.now,
  });
}
