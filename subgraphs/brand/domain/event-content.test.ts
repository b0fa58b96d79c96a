import type { PartnerEvent } from '../../shared/events/partner-event.js';
import { changedFields, eventContentHash } from './event-content.js';

const purchase: PartnerEvent = {
  eventId: 'e1',
  type: 'purchase',
  brandMemberId: 'PU1',
  occurredAt: '2026-06-20T09:30:00Z',
  orderId: 'o1',
  amountMinor: 15_050,
  currency: 'CNY',
  category: 'yoga',
};

describe('eventContentHash', () => {
  it('is a SHA-256 of the canonical JSON, the same whatever the order of the fields', () => {
    const reordered = Object.fromEntries(Object.entries(purchase).reverse()) as PartnerEvent;
    expect(eventContentHash(purchase)).toMatch(/^[0-9a-f]{64}$/);
    expect(eventContentHash(reordered)).toBe(eventContentHash(purchase));
  });

  it('treats two spellings of the same instant as the same content', () => {
    expect(eventContentHash({ ...purchase, occurredAt: '2026-06-20T09:30:00.000Z' })).toBe(
      eventContentHash(purchase),
    );
  });

  it('changes with any field', () => {
    const hash = eventContentHash(purchase);
    expect(eventContentHash({ ...purchase, amountMinor: 15_051 })).not.toBe(hash);
    expect(eventContentHash({ ...purchase, occurredAt: '2026-06-20T09:30:01Z' })).not.toBe(hash);
    expect(eventContentHash({ ...purchase, category: 'pilates' })).not.toBe(hash);
  });
});

describe('changedFields', () => {
  it('names the fields that differ, sorted, and none for the same content', () => {
    expect(changedFields(purchase, { ...purchase, amountMinor: 1, category: 'pilates' })).toEqual([
      'amountMinor',
      'category',
    ]);
    expect(changedFields(purchase, { ...purchase, occurredAt: '2026-06-20T09:30:00.000Z' })).toEqual([]);
  });

  it('names fields present in one version only, as when the type changed', () => {
    const interaction: PartnerEvent = {
      eventId: 'e1',
      type: 'interaction',
      brandMemberId: 'PU1',
      occurredAt: purchase.occurredAt,
      kind: 'like',
    };
    expect(changedFields(purchase, interaction)).toEqual([
      'amountMinor',
      'category',
      'currency',
      'kind',
      'orderId',
      'type',
    ]);
  });
});
