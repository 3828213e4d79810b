import type { BulkView } from '../../../shared/api.ts';
import { isObject, toApiError } from '../api-client.ts';
import { describeError } from '../error-text.ts';
import { button, esc, escT, h } from '../html.ts';
import { labelOr, type T } from '../i18n.ts';
import type { BulkDeps } from './reach-types.ts';

/** How often the view asks for the run's progress while it is not finished. */
const POLL_MS = 1500;

const runId = (): string => `bulk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** The run's progress bar, where it stands, and the summary: created, and each lead skipped or failed with why. */
function progressHtml(b: BulkView, t: T): string {
  const te = escT(t);
  const reasons = (list: BulkView['skipped'], key: string) =>
    list.length
      ? h('div', 'muted small', te(key, { n: list.length })) +
        `<ul class="drl-bulk-list">${list.map((x) => `<li>#${esc(x.leadId)}: ${esc(labelOr(t, `reach.reason.${x.reason}`, x.reason))}</li>`).join('')}</ul>`
      : '';
  return (
    `<progress max="${b.total}" value="${b.done}" aria-label="${te('reach.bulk_progress')}"></progress>` +
    h('div', '', te(b.finished ? 'reach.bulk_done' : 'reach.bulk_running', { done: b.done, total: b.total }), ' role="status"') +
    h('div', '', te('reach.bulk_created', { n: b.created })) +
    reasons(b.skipped, 'reach.bulk_skipped') +
    reasons(b.failed, 'reach.bulk_failed')
  );
}

/**
 * The lead list's mass action (docs/architecture.md, Bulk from the lead list): the selected leads,
 * "Create links", then the run's progress until it finishes, and the summary: how many links were
 * made, and each lead skipped or failed with why. The server does the work as one batch within the
 * account's rate budget; a retried start (same run id) is the same run.
 */
export function openBulk(container: HTMLElement, d: BulkDeps): () => void {
  const te = escT(d.t);
  const wait = d.wait ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let batch: BulkView | undefined;
  let error = '';
  let started = false;
  let alive = true;
  const id = runId();
  const paint = () => {
    if (!alive) return;
    const b = batch;
    container.innerHTML = h(
      'div',
      'reach drl-bulk',
      h('div', 'reach-title', te('reach.bulk_title', { n: d.leadIds.length })) +
        (error ? h('div', 'alert bad', esc(error), ' role="alert"') : '') +
        (!started ? button('bulk-start', te('reach.bulk_start'), false, ' button-input_blue') : '') +
        (b ? progressHtml(b, d.t) : ''),
    );
  };
  const track = async (first: Promise<unknown>) => {
    try {
      let answer = await first;
      for (;;) {
        if (!isObject(answer) || !isObject(answer.batch)) throw { status: 200, code: 'bad_response', message: '' };
        batch = answer.batch as unknown as BulkView;
        paint();
        if (batch.finished || !alive) return;
        await wait(POLL_MS);
        answer = await d.call('GET', `/api/v1/bulk/payments/${id}`);
      }
    } catch (e) {
      error = describeError(toApiError(e), d.t, d.serverUrl).text;
      paint();
    }
  };
  const onClick = (ev: Event) => {
    if ((ev.target as Element | null)?.closest?.('[data-action]')?.getAttribute('data-action') !== 'bulk-start' || started) return;
    started = true;
    error = '';
    paint();
    void track(d.call('POST', '/api/v1/bulk/payments', { leadIds: d.leadIds, requestId: id }));
  };
  container.addEventListener('click', onClick);
  paint();
  return () => {
    alive = false;
    container.removeEventListener('click', onClick);
    container.innerHTML = '';
  };
}
