import type { PartnerConfig } from '../../shared/config/partner-registry.js';
import type { PartnerEvent } from '../../shared/events/partner-event.js';
import { parsePartnerEvent } from '../../shared/events/partner-event.js';
import type { BrandModels } from '../data/brand-models.js';
import type { AcceptedEvent } from '../domain/accepted-event.js';
import { checkEvents } from '../domain/event-checks.js';
import { GuardedEventWriter } from './guarded-event-writer.js';
import type { IngestResult } from './ingest-result.js';
import { loadStoreFacts } from './store-facts.js';

interface Positioned<T> {
  index: number;
  value: T;
}

/**
 * Ingests a partner's events: validates each (envelope, then against the store), and hands the accepted
 * ones to the guarded writer, which records them exactly once. Refunds go in a second phase, checked
 * against the orders the first phase recorded.
 */
export class BrandEventIngestor {
  constructor(
    private readonly models: BrandModels,
    private readonly partner: PartnerConfig,
    private readonly writer = new GuardedEventWriter(models, partner),
  ) {}

  async ingest(raws: readonly unknown[]): Promise<IngestResult[]> {
    const now = this.writer.now();
    const results: IngestResult[] = new Array(raws.length);
    const refunds: Positioned<PartnerEvent>[] = [];
    const others: Positioned<PartnerEvent>[] = [];
    raws.forEach((raw, index) => {
      const parsed = parsePartnerEvent(raw, now);
      if (!parsed.ok) {
        results[index] = { index, eventId: parsed.eventId, status: 'rejected', reason: parsed.reason };
      } else {
        (parsed.event.type === 'refund' ? refunds : others).push({ index, value: parsed.event });
      }
    });
    await this.ingestPhase(others, results);
    await this.ingestPhase(refunds, results);
    return results;
  }

  /** Checks a phase's events against the store as it is now, then writes the accepted ones together. */
  private async ingestPhase(
    events: readonly Positioned<PartnerEvent>[],
    results: IngestResult[],
  ): Promise<void> {
    if (events.length === 0) return;
    const parsed = events.map((e) => e.value);
    const checks = checkEvents(parsed, await loadStoreFacts(this.models, parsed), this.partner);
    const accepted: Positioned<AcceptedEvent>[] = [];
    checks.forEach((check, i) => {
      const { index, value: event } = events[i];
      if (check.ok) accepted.push({ index, value: check.accepted });
      else results[index] = { index, eventId: event.eventId, status: 'rejected', reason: check.reason };
    });
    const outcomes = await this.writer.write(accepted.map((a) => a.value));
    outcomes.forEach((outcome, i) => {
      const { index, value } = accepted[i];
      results[index] = { index, eventId: value.event.eventId, ...outcome };
    });
  }
}
