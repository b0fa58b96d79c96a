import { z } from 'zod';

export interface ReconcileOptions {
  since?: Date;
  partner?: string;
  dryRun: boolean;
}

/** Checks `npm run reconcile`'s flags: `--since` an ISO-8601 instant not in the future, `--partner` a known key. */
export function parseReconcileOptions(
  raw: { since?: string; partner?: string; dryRun: boolean },
  context: { partners: readonly string[]; now: Date },
): { ok: true; options: ReconcileOptions } | { ok: false; error: string } {
  const schema = z
    .object({
      since: z.iso
        .datetime({ offset: true, message: '--since must be an ISO-8601 instant, e.g. 2026-03-01T00:00:00Z' })
        .transform((value) => new Date(value))
        .refine((date) => date.getTime() <= context.now.getTime(), '--since must not be in the future')
        .optional(),
      partner: z
        .string()
        .refine((key) => context.partners.includes(key), {
          message: `--partner must be one of ${context.partners.join(', ')}`,
        })
        .optional(),
      dryRun: z.boolean(),
    })
    .strict();
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { ok: true, options: parsed.data }
    : { ok: false, error: parsed.error.issues.map((issue) => issue.message).join('\n') };
}
