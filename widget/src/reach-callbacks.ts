import type { WidgetHost } from './amo-host.ts';
import { loadWidgetModule } from './lazy-module.ts';
import type { ReachModule } from './reach/entry.ts';

/** The roots reach.js draws into (reach/send-box-slot.ts, reach/host-entry-points.ts): the widget's destroy removes them. */
export const REACH_ROOTS = ['drl-reach-root', 'drl-bulk-root'];

/** reach.js, loaded from the widget's folder the first time it is needed. */
export const loadReach = (self: WidgetHost): Promise<ReachModule> => loadWidgetModule<ReachModule>(self, 'reach.js');
