import { formatMoney } from '../../shared/money.ts';
import type { SandboxSessionStatus } from '../../server/providers/sandbox/api-schemas.ts';
import type { SandboxSession } from './session-store.ts';

/**
 * The sandbox's hosted payment page: self-contained (inline CSS, no scripts, no external assets),
 * readable on a phone. Pay and Decline only while the session is pending.
 */
export function renderCheckoutPage(input: {
  session: SandboxSession;
  status: SandboxSessionStatus;
  /** Absolute path of this page, e.g. /sandbox/checkout/ses_…; the buttons post below it. */
  pagePath: string;
  /** Where "back to the shop" goes for a finished session. */
  backUrl: string;
}): string {
  const { session, status } = input;
  const amount = formatMoney(session.amountMinor, session.currency);
  const body =
    status === 'pending'
      ? `<form method="post" action="${esc(input.pagePath)}/pay"><button class="pay" type="submit">Pay ${esc(amount)}</button></form>
      <form method="post" action="${esc(input.pagePath)}/decline"><button class="decline" type="submit">Decline</button></form>`
      : `<p class="state ${status}">${esc(STATE_TEXT[status](session))}</p>
      <p><a href="${esc(input.backUrl)}">Back to the shop</a></p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Sandbox checkout · ${esc(amount)}</title>
<style>
  *{box-sizing:border-box}
  body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f4f6;color:#111827}
  main{max-width:420px;margin:0 auto;padding:24px 16px}
  .card{background:#fff;border-radius:14px;padding:22px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
  .banner{font-size:13px;background:#fef3c7;color:#92400e;border-radius:8px;padding:8px 10px;margin-bottom:16px}
  .amount{font-size:32px;font-weight:700;margin:4px 0 6px}
  .desc{color:#374151;margin:0 0 4px;word-wrap:break-word}
  .order{color:#6b7280;font-size:13px;margin:0 0 20px}
  form{margin:0 0 10px}
  button{width:100%;min-height:48px;border:0;border-radius:10px;font:inherit;font-weight:600;cursor:pointer}
  .pay{background:#16a34a;color:#fff}
  .decline{background:#e5e7eb;color:#111827}
  .state{font-weight:600;padding:12px;border-radius:10px;background:#e5e7eb}
  .state.paid{background:#dcfce7;color:#166534}
  .state.failed,.state.expired,.state.cancelled{background:#fee2e2;color:#991b1b}
  a{color:#2563eb}
</style>
</head>
<body>
<main>
  <div class="card">
    <div class="banner">Sandbox: a test payment, no real money moves.</div>
    <div class="amount">${esc(amount)}</div>
    <p class="desc">${esc(session.description)}</p>
    <p class="order">Order ${esc(session.orderNo)}</p>
    ${body}
  </div>
</main>
</body>
</html>
`;
}

export function renderNotFoundPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Checkout not found</title></head>
<body style="font:16px system-ui,sans-serif;max-width:420px;margin:40px auto;padding:0 16px">
<p>This sandbox checkout does not exist. Open the payment link again.</p></body></html>
`;
}

const STATE_TEXT: Record<Exclude<SandboxSessionStatus, 'pending'>, (s: SandboxSession) => string> = {
  paid: (s) =>
    s.refundedMinor > 0 ? `Already paid. ${formatMoney(s.refundedMinor, s.currency)} refunded.` : 'Already paid. Nothing more to do here.',
  failed: () => 'This payment was declined.',
  expired: () => 'This checkout has expired. Open the payment link again to get a new one.',
  cancelled: () => 'This checkout was cancelled by the shop.',
};

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
