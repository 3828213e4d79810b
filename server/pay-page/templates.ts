import { formatMoney, isCurrency } from '../../shared/money.ts';
import { esc } from './html.ts';
import { LANGUAGE_NAMES, PAY_LANGUAGES, PROVIDER_LABELS, type PayLanguage, type PayStrings } from './strings.ts';

/**
 * Server-rendered, self-contained pages: inline CSS, no external assets, readable on a phone.
 * The only script is the auto-submit of a provider form, allowed by a per-response nonce.
 * Colours meet WCAG 2.1 AA (4.5:1 for text); controls use the page's font.
 */
const CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f8;color:#1c2430}
main{max-width:440px;margin:0 auto;padding:16px 16px 24px}
.card{background:#fff;border-radius:14px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:24px}
h1{font-size:20px;margin:0 0 8px}.muted{color:#555f6d;font-size:14px}
.amount{font-size:32px;font-weight:700;margin:12px 0}
.state{font-size:40px;line-height:1;margin-bottom:8px}
form{margin:0}button,.btn{display:block;width:100%;margin-top:12px;padding:14px;border:0;border-radius:10px;background:#1a66d6;color:#fff;font:inherit;font-weight:600;text-align:center;text-decoration:none;cursor:pointer}
button .cards{display:block;font-size:13px;font-weight:400}
button.secondary{background:#e9eef5;color:#1c2430}
button:focus-visible,.btn:focus-visible,.langs a:focus-visible{outline:3px solid #0b3d91;outline-offset:2px}
.ok{color:#1a7f37}.warn{color:#8a5a00}.bad{color:#c0202b}
.langs{display:flex;justify-content:flex-end;gap:12px;margin:0 0 12px;font-size:14px}
.langs a{color:#0b57c2}.langs a[aria-current]{color:#1c2430;font-weight:600;text-decoration:none}
footer{margin-top:16px;text-align:center;font-size:12px;color:#555f6d}
.phone{margin-top:16px;font-size:14px}.phone summary{cursor:pointer;color:#0b57c2}.phone img{display:block;margin:8px auto 0;width:200px;height:200px}
`;

export interface PageFrame {
  lang: PayLanguage;
  t: PayStrings;
  title: string;
  nonce?: string;
  refreshSeconds?: number;
  /** The page's own path and query without `lang`: the language switcher links to it in each language. */
  here?: string;
}

/** Links to this page in Armenian, Russian and English; the current one is marked, each named in its own language. */
function languageSwitcher(frame: PageFrame): string {
  if (!frame.here) return '';
  const sep = frame.here.includes('?') ? '&' : '?';
  const links = PAY_LANGUAGES.map((l) =>
    l === frame.lang
      ? `<a lang="${l}" aria-current="true">${esc(LANGUAGE_NAMES[l])}</a>`
      : `<a lang="${l}" hreflang="${l}" href="${esc(`${frame.here}${sep}lang=${l}`)}">${esc(LANGUAGE_NAMES[l])}</a>`,
  ).join('');
  return `<nav class="langs" aria-label="${esc(frame.t.language)}">${links}</nav>`;
}

export function layout(frame: PageFrame, body: string): string {
  return `<!doctype html>
<html lang="${frame.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
${frame.refreshSeconds ? `<meta http-equiv="refresh" content="${frame.refreshSeconds}">` : ''}
<title>${esc(frame.title)}</title>
<style>${CSS}</style>
</head>
<body><main>${languageSwitcher(frame)}${body}<footer>dramlink</footer></main></body>
</html>`;
}

export function money(amountMinor: number, currency: string): string {
  return isCurrency(currency) ? formatMoney(amountMinor, currency) : `${amountMinor} ${currency}`;
}

const LOCALES: Record<PayLanguage, string> = { hy: 'hy-AM', ru: 'ru-RU', en: 'en-GB' };

/** A time on Yerevan's clock, saying so: "1 Dec 2026, 18:18 (Yerevan time, GMT+4)". */
export function formatDate(ms: number, lang: PayLanguage, t?: Pick<PayStrings, 'timeZone'>): string {
  const date = new Date(ms);
  const text = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Yerevan' }).format(date);
  if (!t) return text;
  const offset =
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Yerevan', timeZoneName: 'shortOffset' })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+4';
  return `${text} (${t.timeZone}, ${offset})`;
}

export interface PayView {
  merchant: string;
  amountMinor: number;
  currency: string;
  description: string | null;
  expiresAt: number;
  paidAt: number | null;
  refundedAmountMinor?: number;
}

/** "Pay with Idram" / "Վճարել Idram-ով", with the cards it takes (or "test payment") on a second line. */
function providerButton(frame: PageFrame, provider: string): string {
  const label = PROVIDER_LABELS[provider] ?? { name: provider };
  const note = label.test ? frame.t.testMode : label.cards;
  const name = label.test ? frame.t.sandbox : label.name;
  return `${esc(frame.t.payWith.replace('{provider}', name))}${note ? `<span class="cards">${esc(note)}</span>` : ''}`;
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
            `<form method="post" action="/pay/${esc(token)}?lang=${lang}"><input type="hidden" name="provider" value="${esc(p)}"><button type="submit">${providerButton(frame, p)}</button></form>`,
        )
        .join('\n')
    : `<p class="warn">${esc(t.noMethods)}</p>`;
  return layout(
    frame,
    `<div class="card">
${notice ? `<p class="bad" role="alert"><strong>${esc(notice.title)}</strong><br>${esc(notice.hint)}</p>` : ''}
<h1 class="muted">${esc(t.payTo)} ${esc(view.merchant)}</h1>
<div class="amount">${esc(money(view.amountMinor, view.currency))}</div>
${view.description ? `<p>${esc(view.description)}</p>` : ''}
<p class="muted">${esc(t.chooseMethod)}</p>
${buttons}
<p class="muted">${esc(t.validUntil)} ${esc(formatDate(view.expiresAt, lang, t))}</p>
${phoneHint(frame, token)}
</div>`,
  );
}

/**
 * "Open on your phone": the link as a QR code, fetched only when the customer opens the hint (a
 * lazy image inside a closed <details>), from this server (the page's CSP allows images from itself).
 */
function phoneHint(frame: PageFrame, token: string): string {
  const { t } = frame;
  return `<details class="phone"><summary>${esc(t.phoneHint)}</summary><p class="muted">${esc(t.phoneHintText)}</p><img src="/pay/${esc(token)}/qr.svg" alt="${esc(t.qrAlt)}" width="200" height="200" loading="lazy"></details>`;
}

export function statePage(
  frame: PageFrame,
  view: PayView | null,
  state: { icon: string; cls: string; title: string; hint: string },
  extra = '',
): string {
  const { t, lang } = frame;
  const refunded = view?.refundedAmountMinor ? view.refundedAmountMinor : 0;
  return layout(
    frame,
    `<div class="card">
<div class="state ${state.cls}" aria-hidden="true">${state.icon}</div>
<h1>${esc(state.title)}</h1>
<p class="muted">${esc(state.hint)}</p>
${view ? `<div class="amount">${esc(money(view.amountMinor, view.currency))}</div>${view.description ? `<p>${esc(view.description)}</p>` : ''}` : ''}
${view?.paidAt ? `<p class="muted">${esc(t.paidAt)}: ${esc(formatDate(view.paidAt, lang, t))}</p>` : ''}
${view && refunded ? `<p class="muted">${esc(t.refundedAmount)}: ${esc(money(refunded, view.currency))}</p>` : ''}
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
    { ...frame, here: undefined },
    `<div class="card"><p>${esc(frame.t.redirecting)}</p>
<form id="pay" method="post" action="${esc(url)}" accept-charset="UTF-8">
${inputs}
<button type="submit">${esc(frame.t.continue)}</button>
</form></div>
<script nonce="${esc(frame.nonce)}">document.getElementById('pay').submit();</script>`,
  );
}
