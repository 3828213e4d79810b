/**
 * Which rules the server starts under, decided from the environment alone. The one place this is
 * decided: loadConfig uses it, and so does the `npm start` launcher to choose what to run.
 * - production: NODE_ENV is set to anything but `development` or `test` (a typo such as
 *   `Production` must not quietly turn a live server into a playground);
 * - local: not production and no AMOCRM_CLIENT_ID (the amoCRM emulator and the playground);
 * - configured: not production, with a real integration id (development against amoCRM).
 * The sandbox provider is on by default outside production and off in production unless
 * SANDBOX_ENABLED=true.
 */
export type RunMode = 'local' | 'configured' | 'production';

export interface RunPlan {
  mode: RunMode;
  sandboxEnabled: boolean;
}

/** NODE_ENV values that keep the development rules; unset counts as development. */
export const DEVELOPMENT_NODE_ENVS: readonly string[] = ['development', 'test'];

export function runPlanOf(env: Readonly<Record<string, string | undefined>>): RunPlan {
  // Empty values count as unset, as in loadConfig (`FOO= npm start` means no FOO).
  const read = (name: string) => env[name]?.trim() || undefined;
  const nodeEnv = read('NODE_ENV');
  const production = nodeEnv !== undefined && !DEVELOPMENT_NODE_ENVS.includes(nodeEnv);
  const mode: RunMode = production ? 'production' : read('AMOCRM_CLIENT_ID') ? 'configured' : 'local';
  const sandbox = read('SANDBOX_ENABLED');
  return { mode, sandboxEnabled: production ? sandbox === 'true' : sandbox !== 'false' };
}

/**
 * Local mode and the sandbox provider need the dev wing (the amoCRM emulator, the playground, the
 * sandbox gateway): `npm start` then runs scripts/local-mode/main.ts from source, and the
 * production entry refuses to start.
 */
export function needsDevWing(plan: RunPlan): boolean {
  return plan.mode === 'local' || plan.sandboxEnabled;
}
