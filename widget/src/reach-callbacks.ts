import type { WidgetHost } from './amo-host.ts';
import { translatorFor } from './i18n.ts';
import { loadWidgetModule } from './lazy-module.ts';
import type { ReachModule } from './reach/entry.ts';
import { SALESBOT_EXITS } from './salesbot-exits.ts';

/** The roots reach.js draws into (reach/send-box-slot.ts, reach/host-entry-points.ts): the widget's destroy removes them. */
export const REACH_ROOTS = ['drl-reach-root', 'drl-bulk-root'];

/** reach.js, loaded from the widget's folder the first time it is needed. */
export const loadReach = (self: WidgetHost): Promise<ReachModule> => loadWidgetModule<ReachModule>(self, 'reach.js');

/**
 * The Salesbot designer step (docs/architecture.md, Salesbot): its exits at once, its settings and
 * its bot code from reach.js, which the settings callback starts loading (it is there by the time
 * the admin saves). amoCRM wants the save's answer synchronously: before reach.js is there, the save
 * fails loudly rather than store a step that does not call the server.
 */
export function salesbotCallbacks(self: WidgetHost) {
  let reach: ReachModule | undefined;
  return {
    salesbotDesignerSettings($body: unknown, renderRow: unknown) {
      loadReach(self).then(
        (m) => (reach = m).salesbotDesignerFor(self, $body, renderRow),
        () => undefined,
      );
      const t = translatorFor(self);
      return { exits: SALESBOT_EXITS.map((code) => ({ code, title: t(`sb.exit_${code}`) })) };
    },
    onSalesbotDesignerSave(handler: unknown, params: unknown) {
      if (!reach) throw new Error('dramlink: reach.js is still loading; save the step again');
      return reach.salesbotStepsFor(self, handler, params);
    },
  };
}
