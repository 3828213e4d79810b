import { esc, escT, h } from '../html.ts';
import { labelOr, type T } from '../i18n.ts';
import type { DiagnosticCheck } from './settings-types.ts';

/**
 * The server's own checks (GET /diagnostics, what `npm run doctor` runs): named and judged in the
 * admin's language. Their detail and fix are the operator's technical English (the same lines doctor
 * prints), so they sit folded under a summary that says so, marked `lang="en"` for screen readers.
 */
export function renderDiagnostics(checks: DiagnosticCheck[] | undefined, t: T): string {
  if (!checks || checks.length === 0) return '';
  const te = escT(t);
  const items = checks
    .map((c) => {
      const [id, sub] = c.name.split(':');
      // provider:<name>; unverified:<topic> (what amoCRM does not document, as seen in this account).
      const name =
        sub && id === 'provider'
          ? te('diag.provider', { provider: labelOr(t, `providers.${sub}`, sub) })
          : esc(labelOr(t, sub ? `diag.unverified.${sub}` : `diag.${id}`, c.name));
      return h(
        'li',
        c.ok ? 'ok' : 'bad',
        `<span aria-hidden="true">${c.ok ? '✓' : '✕'}</span> <strong>${name}</strong>: ${te(c.ok ? 'diag.ok' : 'diag.problem')}` +
          technicalDetails(c, te),
      );
    })
    .join('');
  return `<h5>${te('diag.title')}</h5>` + h('ul', 'diagnostics', items);
}

function technicalDetails(c: DiagnosticCheck, te: (key: string) => string): string {
  const lines =
    (c.detail ? h('div', 'muted small', esc(c.detail)) : '') + (!c.ok && c.fix ? h('div', 'small', `${te('diag.fix')} ${esc(c.fix)}`) : '');
  return lines ? `<details lang="en"><summary>${te('diag.details')}</summary>${lines}</details>` : '';
}
