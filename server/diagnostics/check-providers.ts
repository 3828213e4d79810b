import { probeProvider } from '../providers/probe-provider.ts';
import { fail, pass, type Check, type CheckContext } from './check.ts';

/** Each enabled provider: one harmless call (its probe) proving the host answers and takes the credentials. */
export async function checkProviders(c: CheckContext): Promise<Check[]> {
  const enabled = (await c.providers.list(c.account.id)).filter((p) => p.enabled);
  if (enabled.length === 0) return [fail('providers', 'no payment provider is enabled', 'An admin enables one in the widget settings.')];
  const checks: Check[] = [];
  for (const config of enabled) {
    const name = `provider:${config.provider}`;
    let answer;
    try {
      const { provider, ctx } = await c.providers.context(c.account.id, config.provider);
      answer = await probeProvider(provider, ctx);
    } catch (err) {
      checks.push(fail(name, (err as Error).message, 'Fix the provider settings in the widget settings.'));
      continue;
    }
    const mode = `${config.mode} mode`;
    if (answer.ok) checks.push(pass(name, `${mode}: ${answer.message}`));
    else if (answer.code === 'probe_not_supported') checks.push(pass(name, `${mode}: not checked: ${answer.message}`));
    else
      checks.push(
        fail(
          name,
          `${mode}: ${answer.code}: ${answer.message}`,
          'Check the credentials, mode and host in the widget settings (Test connection there runs the same call).',
        ),
      );
  }
  return checks;
}
