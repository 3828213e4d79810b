import type { RequestHandler } from 'express';
import type { PayPageDeps } from '../deps.ts';
import { paymentByToken } from '../payment-lookup.ts';

import type * as Qr from 'qrcode';

type QrModule = typeof Qr;

let loading: Promise<QrModule> | undefined;

/**
 * The QR code package, loaded on the first QR asked for (a dynamic import): a server that never
 * draws one never holds it in memory.
 */
function qrcode(): Promise<QrModule> {
  loading ??= import('qrcode').then((m) => ((m as unknown as { default?: QrModule }).default ?? m) as QrModule);
  return loading;
}

/**
 * GET /pay/:token/qr.svg and /qr.png: the payment link as a QR code, for a customer at the counter
 * (the panel shows it when asked) or the pay page's "open on your phone". The code holds the link
 * itself, so a closed payment's code leads to the page that says so. An unknown token is a 404, and
 * no code is drawn for it.
 */
export function qrCode(deps: PayPageDeps, format: 'svg' | 'png'): RequestHandler<{ token: string }> {
  return async (req, res, next) => {
    const p = await paymentByToken(deps, req.params.token);
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    if (!p) return void res.status(404).type('text').send('Payment link not found.');
    const link = `${deps.publicUrl}/pay/${p.linkToken}`;
    try {
      const q = await qrcode();
      if (format === 'svg') {
        res.type('image/svg+xml').send(await q.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
      } else {
        res.type('image/png').send(await q.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 320 }));
      }
    } catch (err) {
      next(err);
    }
  };
}
