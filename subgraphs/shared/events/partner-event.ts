import { z } from 'zod';

/**
 * The event envelope partners push to their brand subgraph (docs/architecture.md §6): one JSON object per event,
 * unknown fields rejected. `parsePartnerEvent` turns any input into either a typed event or a reason a
 * partner's engineer can act on.
 */
export const EVENT_TYPES = [
  'purchase',
  'refund',
  'browse',
  'interaction',
  'referral',
  'login',
  'subscription',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const INTERACTION_KINDS = ['review', 'share', 'comment', 'like'] as const;
/** A paid membership period (`pay`; 0 starts the plan's trial) or a refund of one (`refund`). */
export const SUBSCRIPTION_ACTIONS = ['pay', 'refund'] as const;
/** Events older than this are refused: they fall outside every window the models use. */
export const EVENT_RETENTION_DAYS = 730;
/** Partner clocks may run slightly ahead of ours. */
const CLOCK_SKEW_MS = 5 * 60_000;
/**
 * The most one purchase or refund may carry: 10^9 minor units (CNY 10,000,000.00), far above any single
 * purchase at a partner. It keeps every per-event amount inside a 32-bit integer (GraphQL `Int`, BSON int32),
 * and sums exact: an account reaches Number.MAX_SAFE_INTEGER only after more than nine million purchases at
 * this maximum, and points (1 per 100 minor units) stay far below that too.
 */
export const MAX_EVENT_AMOUNT_MINOR = 1_000_000_000;

const identifier = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} must not be empty`)
    .max(128, `${what} must be at most 128 characters`)
    .regex(/^[A-Za-z0-9._:@-]+$/, `${what} may contain only letters, digits and . _ : @ -`);

const amount = z
  .number({ error: 'amountMinor must be a number (integer minor units, e.g. 1999 for CNY 19.99)' })
  .int('amountMinor must be an integer number of minor units (e.g. 1999 for CNY 19.99)')
  .positive('amountMinor must be greater than 0')
  .max(
    MAX_EVENT_AMOUNT_MINOR,
    `amountMinor must be at most ${MAX_EVENT_AMOUNT_MINOR} (CNY 10,000,000.00) per event`,
  );

const category = z
  .string({ error: 'category must be a string' })
  .min(1, 'category must not be empty')
  .max(64);

const base = {
  eventId: identifier('eventId'),
  brandMemberId: identifier('brandMemberId'),
  occurredAt: z.iso.datetime({
    message: 'occurredAt must be an ISO-8601 UTC time such as 2026-11-22T08:30:00Z',
  }),
};

const eventSchema = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        ...base,
        type: z.literal('purchase'),
        orderId: identifier('orderId'),
        amountMinor: amount,
        currency: z.literal('CNY', { error: 'currency must be "CNY"' }),
        category,
      })
      .strict(),
    z
      .object({ ...base, type: z.literal('refund'), orderId: identifier('orderId'), amountMinor: amount })
      .strict(),
    z
      .object({
        ...base,
        type: z.literal('browse'),
        category,
        seconds: z
          .number({ error: 'seconds must be a number' })
          .int('seconds must be an integer')
          .min(0, 'seconds must be 0 or more')
          .max(86_400, 'seconds must be at most 86400'),
      })
      .strict(),
    z
      .object({
        ...base,
        type: z.literal('interaction'),
        kind: z.enum(INTERACTION_KINDS, { error: `kind must be one of ${INTERACTION_KINDS.join(', ')}` }),
        category: category.optional(),
      })
      .strict(),
    z
      .object({
        ...base,
        type: z.literal('referral'),
        referredBrandMemberId: identifier('referredBrandMemberId'),
      })
      .strict(),
    // A sign-in at the partner: activity only, for rules that count logins per period.
    z.object({ ...base, type: z.literal('login') }).strict(),
    // A paid membership plan sold at the partner's checkout (docs/architecture.md §9, "Paid membership").
    z
      .object({
        ...base,
        type: z.literal('subscription'),
        action: z.enum(SUBSCRIPTION_ACTIONS, {
          error: `action must be one of ${SUBSCRIPTION_ACTIONS.join(', ')}`,
        }),
        planId: identifier('planId'),
        amountMinor: z
          .number({ error: 'amountMinor must be a number (integer minor units; 0 starts a trial)' })
          .int('amountMinor must be an integer number of minor units')
          .min(0, 'amountMinor must be 0 or more')
          .max(MAX_EVENT_AMOUNT_MINOR, `amountMinor must be at most ${MAX_EVENT_AMOUNT_MINOR} per event`),
        currency: z.literal('CNY', { error: 'currency must be "CNY"' }),
        periodStart: z.iso.datetime({
          message: 'periodStart must be an ISO-8601 UTC time such as 2026-12-01T00:00:00Z',
        }),
      })
      .strict(),
  ],
  { error: `type must be one of ${EVENT_TYPES.join(', ')}` },
);

export type PartnerEvent = z.infer<typeof eventSchema>;
export type ParsedEvent = { ok: true; event: PartnerEvent } | { ok: false; reason: string; eventId?: string };

function describe(issue: z.core.$ZodIssue, raw: Record<string, unknown>): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  const field = issue.path.join('.');
  if (issue.code === 'invalid_type' && issue.path.length === 1 && !(String(issue.path[0]) in raw))
    return `${field} is required`;
  return issue.message.startsWith(field) || !field ? issue.message : `${field}: ${issue.message}`;
}

/** The envelope's own rules (fields, types, ranges), without the time window that applies on arrival. */
function parseEnvelope(raw: unknown): ParsedEvent {
  const eventId =
    typeof (raw as { eventId?: unknown })?.eventId === 'string'
      ? (raw as { eventId: string }).eventId
      : undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: 'each event must be a JSON object', eventId };
  }
  const parsed = eventSchema.safeParse(raw);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => describe(issue, raw as Record<string, unknown>));
    return { ok: false, reason: reasons.join('; '), eventId };
  }
  return { ok: true, event: parsed.data };
}

/** Validates one event; `now` bounds occurredAt (not in the future, not older than the retention window). */
export function parsePartnerEvent(raw: unknown, now: Date): ParsedEvent {
  const parsed = parseEnvelope(raw);
  if (!parsed.ok) return parsed;
  const { eventId } = parsed.event;
  const at = Date.parse(parsed.event.occurredAt);
  if (at > now.getTime() + CLOCK_SKEW_MS)
    return { ok: false, reason: 'occurredAt is in the future', eventId };
  if (at < now.getTime() - EVENT_RETENTION_DAYS * 86_400_000) {
    return {
      ok: false,
      reason: `occurredAt is older than the ${EVENT_RETENTION_DAYS}-day retention window`,
      eventId,
    };
  }
  return parsed;
}

/**
 * Validates an event read back from the store: the envelope's rules only, since an event accepted then may
 * since have left the retention window.
 */
export function parseStoredPartnerEvent(raw: unknown): ParsedEvent {
  return parseEnvelope(raw);
}
