import { z } from 'zod';
import { amountMinorSchema, currencySchema, providerNameSchema } from '../../shared/api.ts';

/**
 * How automation makes a link, kept with its request: the amount (the lead's price, or a fixed
 * amount set in a pipeline trigger), optionally the providers and lifetime, who asked (the audit
 * actor: `pipeline`, `salesbot`, `user:12`), and for a Salesbot step where its answer goes.
 */
export const linkParamsSchema = z.object({
  amount: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('lead_price') }),
    z.object({ mode: z.literal('fixed'), amountMinor: amountMinorSchema }),
  ]),
  currency: currencySchema.optional(),
  providers: z.array(providerNameSchema).min(1).optional(),
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .optional(),
  actor: z.string().min(1),
  actorName: z.string().optional(),
  /** Salesbot: the return_url's path on the account's amoCRM, checked when the step arrived. */
  returnPath: z.string().optional(),
});
export type LinkParams = z.infer<typeof linkParamsSchema>;

/** The stored params, or undefined when they no longer parse (an older format): the request then fails. */
export function parseLinkParams(json: string): LinkParams | undefined {
  try {
    const parsed = linkParamsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Salesbot request's return path, read even from params that do not parse (settings the step sent
 * that cannot be used): the bot must still get its answer, `invalid_params`.
 */
export function returnPathOf(json: string): string | undefined {
  try {
    const path = (JSON.parse(json) as { returnPath?: unknown } | null)?.returnPath;
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined;
  }
}
