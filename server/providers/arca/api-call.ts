import { postOnce } from '../transport/call-once.ts';
import type { ProviderContext } from '../provider.ts';
import type { ArcaCredentials } from './credentials.ts';
import { arcaMethodUrl } from './endpoints.ts';
import { parseBody, type ArcaBody } from './fields.ts';

export interface ArcaAnswer {
  httpStatus: number;
  body: ArcaBody | undefined;
  text: string;
}

/**
 * One form-encoded POST to `{base}/{method}.do` with userName/password, never retried:
 * register.do rejects a repeated orderNumber and reverse.do works once.
 */
export async function callArca(ctx: ProviderContext<ArcaCredentials>, method: string, params: Record<string, string>): Promise<ArcaAnswer> {
  const form = new URLSearchParams({ userName: ctx.credentials.userName, password: ctx.credentials.password, ...params });
  const res = await postOnce(
    ctx,
    { url: arcaMethodUrl(ctx, method), body: form },
    {
      provider: 'arca',
      peer: 'the payment gateway',
      operation: `${method}.do`,
      hostSetting: 'baseUrl in the provider settings (with the test port), or the ArCa default',
    },
  );
  return { httpStatus: res.status, body: parseBody(res.text), text: res.text };
}
