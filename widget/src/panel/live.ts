import type { LeadPaymentsResponse } from '../../../shared/api.ts';
import { isMoneyTaken } from '../../../shared/status.ts';
import { money } from '../format.ts';
import type { LiveEnv } from './live-env.ts';
import type { Panel } from './panel-context.ts';
import { canChange } from './panel-state.ts';

/** How long to wait between looks while the card stays open: soon after a change, then less often. */
export const POLL_DELAYS_MS = [5_000, 10_000, 20_000, 40_000, 60_000];
/** A wake-up (focus, tab shown) right after a look does not look again. */
const WAKE_GAP_MS = 3_000;

/**
 * Keeps the panel true while the card is open (docs/architecture.md, "2 Create a link"): while a
 * shown payment can still change (a link the customer may pay, funds held), the lead's payments are
 * looked at again after 5, 10, 20, 40 s and then every minute, only while the page is visible, and
 * at once when the manager comes back to it. The card's opening stays one request: the first look is
 * the first poll's. A payment that lands shows at once, with amoCRM's own popup where it has one.
 */
export function startLive(panel: Panel, env: LiveEnv): { kick(): void; stop(): void } {
  let step = 0;
  let timer: unknown;
  let last = env.now();
  let inFlight = false;
  let stopped = false;
  const announced = new Set<string>();
  const stopTimer = () => {
    if (timer !== undefined) env.clearTimeout(timer);
    timer = undefined;
  };
  const changeable = () => !!panel.view.state.data?.payments.some(canChange);
  const schedule = () => {
    stopTimer();
    if (stopped || env.hidden() || !changeable()) return;
    timer = env.setTimeout(() => void look().then(schedule), POLL_DELAYS_MS[Math.min(step++, POLL_DELAYS_MS.length - 1)]);
  };
  const look = async () => {
    timer = undefined;
    const { state } = panel.view;
    if (inFlight || stopped || state.busy || state.phase !== 'ready') return;
    inFlight = true;
    last = env.now();
    try {
      const data = await panel.d.api.leadPayments(panel.d.leadId, panel.d.locale);
      if (!stopped && panel.view.alive) apply(panel, env, data, announced);
    } catch {
      // A failed look changes nothing on screen; the next one may succeed.
    } finally {
      inFlight = false;
    }
  };
  const unsubscribe = env.onWake(() => {
    if (env.hidden()) return stopTimer();
    if (env.now() - last < WAKE_GAP_MS || !changeable()) return schedule();
    step = 0;
    void look().then(schedule);
  });
  return {
    kick() {
      step = 0;
      last = env.now();
      schedule();
    },
    stop() {
      stopped = true;
      stopTimer();
      unsubscribe();
    },
  };
}

/** Shows what changed, and tells the manager about a payment that landed (once per payment). */
function apply(panel: Panel, env: LiveEnv, data: LeadPaymentsResponse, announced: Set<string>): void {
  const { view, d } = panel;
  const before = view.state.data;
  if (!before || JSON.stringify(before.payments) === JSON.stringify(data.payments)) return;
  const landed = data.payments.filter(
    (p) => isMoneyTaken(p.status) && !announced.has(p.id) && before.payments.some((o) => o.id === p.id && !isMoneyTaken(o.status)),
  );
  for (const p of landed) {
    announced.add(p.id);
    d.announce?.(d.t('live.paid_title'), d.t('live.paid_text', { amount: money(p.paidAmountMinor ?? p.amountMinor, p.currency) }));
  }
  // While the manager types, the form stays as it is; the change shows at the next look.
  if (env.typing(d.root)) return;
  const confirm = view.state.confirm && data.payments.some((p) => p.id === view.state.confirm!.paymentId) ? view.state.confirm : undefined;
  view.set({ data, confirm });
  if (landed.length)
    view.notify({
      kind: 'ok',
      msg: { key: 'live.paid_notice', vars: { amount: money(landed[0].paidAmountMinor ?? landed[0].amountMinor, landed[0].currency) } },
    });
}
