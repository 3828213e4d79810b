import { postOnce } from '../transport/call-once.ts';
import type { ProviderContext } from '../provider.ts';
import { ameriabankOperationUrl } from './endpoints.ts';
import { parseBody, type AmeriabankBody } from './fields.ts';

export interface AmeriabankAnswer {
  httpStatus: number;
  body: AmeriabankBody | undefined;
  text: string;
}

/**
 * One JSON POST to `{base}api/VPOS/{Operation}`, never retried: InitPayment overwrites an order
 * unless the body is byte-identical, and Refund/Cancel have no idempotency key.
 */
export async function callAmeriabank(ctx: ProviderContext, operation: string, body: Record<string, unknown>): Promise<AmeriabankAnswer> {
  const res = await postOnce(
    ctx,
    { url: ameriabankOperationUrl(ctx, operation), body },
    { provider: 'ameriabank', peer: 'Ameriabank', operation },
  );
  return { httpStatus: res.status, body: parseBody(res.text), text: res.text };
}
