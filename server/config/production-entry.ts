import { needsDevWing, type RunPlan } from './run-mode.ts';

/**
 * Why the production entry (server/main.ts, dist/server/main.js once built) must not start under
 * this plan, as one line naming the command that does; undefined when it may. Local mode and the
 * sandbox provider need the dev wing (the amoCRM emulator, the playground, the fake bank), which
 * the production server neither contains nor loads.
 */
export function productionEntryRefusal(plan: RunPlan): string | undefined {
  if (!needsDevWing(plan)) return undefined;
  if (plan.mode === 'local') {
    return 'dramlink: local mode (no AMOCRM_CLIENT_ID, NODE_ENV unset, development or test) needs the dev wing, which the production server does not contain: start it with `npm start`';
  }
  return 'dramlink: the sandbox provider is enabled (SANDBOX_ENABLED=true, or its default outside production) but the production server has no sandbox gateway: start it with `npm start`, or set SANDBOX_ENABLED=false';
}
