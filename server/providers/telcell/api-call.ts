import type { HttpResponse } from '../../platform/http-client.ts';
import type { ProviderContext } from '../provider.ts';
import { postOnce } from '../transport/call-once.ts';
import type { TelcellCredentials } from './credentials.ts';
import { telcellInvoicesUrl } from './endpoints.ts';

/** One form POST to Telcell's invoices endpoint (check_bill), never retried. */
export function callTelcell(
  ctx: ProviderContext<TelcellCredentials>,
  operation: string,
  form: Record<string, string>,
): Promise<HttpResponse> {
  return postOnce(
    ctx,
    { url: telcellInvoicesUrl(ctx.baseUrl), body: new URLSearchParams(form) },
    { provider: 'telcell', peer: 'Telcell', operation },
  );
}
