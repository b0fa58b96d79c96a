import type { AcceptedEvent } from '../domain/accepted-event.js';
import { eventContentHash } from '../domain/event-content.js';
import { eventDocument, readStoredEvent } from './stored-event.js';

const PARTNER = { key: 'pulsefit', categoryMap: { yoga: 'health' } } as const;
const RECEIVED = new Date('2026-06-21T00:00:00.000Z');
const browse: AcceptedEvent = {
  event: {
    eventId: 'b1',
    type: 'browse',
    brandMemberId: 'PU1',
    occurredAt: '2024-01-02T03:04:05Z',
    category: 'yoga',
    seconds: 60,
  },
  memberId: 'M1',
  jointCategory: 'health',
};

describe('stored events', () => {
  it('claims an event as a received document holding all a recovery needs', () => {
    expect(eventDocument(browse, RECEIVED)).toEqual({
      _id: 'b1',
      type: 'browse',
      brandMemberId: 'PU1',
      memberId: 'M1',
      occurredAt: new Date('2024-01-02T03:04:05Z'),
      receivedAt: RECEIVED,
      payload: browse.event,
      contentHash: eventContentHash(browse.event),
      jointCategory: 'health',
      state: 'received',
      guardHeld: true,
      published: false,
    });
  });

  it('reads back what it stored, even once the event is past the retention window', () => {
    expect(readStoredEvent(eventDocument(browse, RECEIVED), PARTNER)).toEqual({
      ok: true,
      accepted: browse,
      contentHash: eventContentHash(browse.event),
    });
  });

  it('maps the category and hashes the payload of a document stored before either was', () => {
    const { jointCategory: _category, contentHash: _hash, ...older } = eventDocument(browse, RECEIVED);
    expect(readStoredEvent(older, PARTNER)).toEqual({
      ok: true,
      accepted: browse,
      contentHash: eventContentHash(browse.event),
    });
  });

  it('refuses a payload that is not a valid event, or that belongs to another event', () => {
    const doc = eventDocument(browse, RECEIVED);
    expect(readStoredEvent({ ...doc, payload: { ...browse.event, seconds: -1 } }, PARTNER)).toEqual({
      ok: false,
      reason: 'event "b1" holds an invalid payload: seconds must be 0 or more',
    });
    expect(readStoredEvent({ ...doc, _id: 'b2' }, PARTNER)).toEqual({
      ok: false,
      reason: 'event "b2" holds the payload of event "b1"',
    });
  });
});
