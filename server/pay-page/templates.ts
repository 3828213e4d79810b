import { formatMoney, isCurrency } from '../../shared/money.ts';
import { esc } from './html.ts';
import { PROVIDER_LABELS, type PayLanguage, type PayStrings } from './strings.ts';

/**
 * Server-rendered, self-contained pages: inline CSS, no external assets, readable on a phone.
 * The only script is the auto-submit of a provider form, allowed by a per-response nonce.
 */
const CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f8;color:#1c2430}
main{max-width:440px;margin:0 auto;padding:24px 16px}
.card{background:#fff;border-radius:14px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:24px}
h1{font-size:20px;margin:0 0 8px}.muted{color:#5b6675;font-size:14px}
.amount{font-size:32px;font-weight:700;margin:12px 0}
.state{font-size:40px;line-height:1;margin-bottom:8px}
form{margin:0}button,.btn{display:block;width:100%;margin-top:12px;padding:14px;border:0;border-radius:10px;background:#1f6feb;color:#fff;font-size:16px;font-weight:600;text-align:center;text-decoration:none;cursor:pointer}
button.secondary{background:#e9eef5;color:#1c2430}
.ok{color:#1a7f37}.warn{color:#9a6700}.bad{color:#cf222e}
footer{margin-top:16px;text-align:center;font-size:12px;color:#8a94a3}
`;

export interface PageFrame {
  lang: PayLanguage;
  t: PayStrings;
  title: string;
  nonce?: string;
  refreshSeconds?: number;
}

export function layout(frame: PageFrame, body: string): string {
  return `<!doctype html>
<html lang="${frame.lang === 'hy' ? 'hy' : frame.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
${frame.refreshSeconds ? `<meta http-equiv="refresh" content="${frame.refreshSeconds}">` : ''}
<title>${esc(frame.title)}</title>
<style>${CSS}</style>
</head>
<body><main>${body}<footer>dramlink</footer></main></body>
</html>`;
}

export function money(amountMinor: number, currency: string): string {
  return isCurrency(currency) ? formatMoney(amountMinor, currency) : `${amountMinor} ${currency}`;
}

export function formatDate(ms: number, lang: PayLanguage): string {
  const locale = lang === 'hy' ? 'hy-AM' : lang === 'ru' ? 'ru-RU' : 'en-GB';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Yerevan' }).format(new Date(ms));
}

export interface PayView {
  merchant: string;
  amountMinor: number;
  currency: string;
  description: string | null;
  expiresAt: number;
  paidAt: number | null;
}

export function choosePage(
  frame: PageFrame,
  view: PayView,
  providers: string[],
  token: string,
  notice?: { title: string; hint: string },
): string {
  const { t, lang } = frame;
  const buttons = providers.length
    ? providers
        .map(
          (p) =>
            `<form method="post" action="/pay/${esc(token)}?lang=${lang}"><input type="hidden" name="provider" value="${esc(p)}"><button type="submit">${esc(t.payWith)} ${esc(PROVIDER_LABELS[p] ?? p)}</button></form>`,
        )
        .join('\n')
    : `<p class="warn">${esc(t.noMethods)}</p>`;
  return layout(
    frame,
    `<div class="card">
${notice ? `<p class="bad"><strong>${esc(notice.title)}</strong><br>${esc(notice.hint)}</p>` : ''}
<div class="muted">${esc(t.payTo)} ${esc(view.merchant)}</div>
<div class="amount">${esc(money(view.amountMinor, view.currency))}</div>
${view.description ? `<p>${esc(view.description)}</p>` : ''}
<p class="muted">${esc(t.chooseMethod)}</p>
${buttons}
<p class="muted">${esc(t.validUntil)} ${esc(formatDate(view.expiresAt, lang))}</p>
</div>`,
  );
}

export function statePage(
  frame: PageFrame,
  view: PayView | null,
  state: { icon: string; cls: string; title: string; hint: string },
  extra = '',
): string {
  return layout(
    frame,
    `<div class="card">
<div class="state ${state.cls}">${state.icon}</div>
<h1>${esc(state.title)}</h1>
<p class="muted">${esc(state.hint)}</p>
${view ? `<div class="amount">${esc(money(view.amountMinor, view.currency))}</div>${view.description ? `<p>${esc(view.description)}</p>` : ''}` : ''}
${view?.paidAt ? `<p class="muted">${esc(frame.t.paidAt)}: ${esc(formatDate(view.paidAt, frame.lang))}</p>` : ''}
${extra}
</div>`,
  );
}

/** Idram and Telcell take the customer by a POSTed form: submitted by script, with a button if scripts are off. */
export function autoPostPage(frame: PageFrame, url: string, form: Record<string, string>): string {
  const inputs = Object.entries(form)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('\n');
  return layout(
    frame,
    `<div class="card"><p>${esc(frame.t.redirecting)}</p>
<form id="pay" method="post" action="${esc(url)}" accept-charset="UTF-8">
${inputs}
<button type="submit">${esc(frame.t.continue)}</button>
</form></div>
<script nonce="${esc(frame.nonce)}">document.getElementById('pay').submit();</script>`,
  );
}
