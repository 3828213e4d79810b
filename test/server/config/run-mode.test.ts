import { expect } from 'chai';
import { runPlanOf, type RunPlan } from '../../../server/config/run-mode.ts';

describe('server/config runPlanOf', () => {
  const cases: Array<[Record<string, string | undefined>, RunPlan]> = [
    [{}, { mode: 'local', sandboxEnabled: true }],
    [{ NODE_ENV: 'development' }, { mode: 'local', sandboxEnabled: true }],
    [{ NODE_ENV: 'test' }, { mode: 'local', sandboxEnabled: true }],
    [
      { NODE_ENV: '', AMOCRM_CLIENT_ID: '  ' },
      { mode: 'local', sandboxEnabled: true },
    ],
    [{ SANDBOX_ENABLED: 'false' }, { mode: 'local', sandboxEnabled: false }],
    [{ AMOCRM_CLIENT_ID: 'id' }, { mode: 'configured', sandboxEnabled: true }],
    [
      { NODE_ENV: 'development', AMOCRM_CLIENT_ID: 'id', SANDBOX_ENABLED: 'false' },
      { mode: 'configured', sandboxEnabled: false },
    ],
    [{ NODE_ENV: 'production' }, { mode: 'production', sandboxEnabled: false }],
    [
      { NODE_ENV: 'production', SANDBOX_ENABLED: 'true' },
      { mode: 'production', sandboxEnabled: true },
    ],
    [{ NODE_ENV: 'Production' }, { mode: 'production', sandboxEnabled: false }],
    [
      { NODE_ENV: 'staging', AMOCRM_CLIENT_ID: 'id' },
      { mode: 'production', sandboxEnabled: false },
    ],
    [{ NODE_ENV: 'Development' }, { mode: 'production', sandboxEnabled: false }],
    [{ NODE_ENV: ' test ' }, { mode: 'local', sandboxEnabled: true }],
  ];
  for (const [env, plan] of cases) {
    it(`${JSON.stringify(env)} runs as ${plan.mode} with the sandbox ${plan.sandboxEnabled ? 'on' : 'off'}`, () => {
      expect(runPlanOf(env)).to.deep.equal(plan);
    });
  }
});
