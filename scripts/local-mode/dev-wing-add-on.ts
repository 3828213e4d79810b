import type { AppExtension } from '../../server/app.ts';
import type { Config } from '../../server/config/config.ts';
import type { Store } from '../../server/db/store.ts';
import type { Logger } from '../../server/logging/logger.ts';
import type { ServerAddOn } from '../../server/start-server.ts';
import { sandboxGatewayExtension } from '../sandbox-gateway/index.ts';
import { startLocalMode, type LocalMode, type LocalModeOptions } from './index.ts';

/**
 * What the dev wing adds to the production app (server/start-server.ts's add-on): the sandbox
 * gateway whenever the sandbox provider is enabled, and in local mode also the amoCRM emulator,
 * the playground and the demo account's install once the server listens.
 */
export async function devWingAddOn(
  start: { config: Config; logger: Logger; databasePath: string; store: Store },
  /** Tests: where lines go, a settled widget build, and the started local mode to inspect. */
  options: Pick<LocalModeOptions, 'print' | 'widgetBuild'> & { started?: (local: LocalMode) => void } = {},
): Promise<ServerAddOn> {
  const { config } = start;
  const gateway = config.sandboxEnabled ? [sandboxGatewayExtension] : [];
  if (config.mode !== 'local') return { extend: gateway };
  const local = await startLocalMode({ ...start, print: options.print, widgetBuild: options.widgetBuild });
  options.started?.(local);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const playground = (): AppExtension => ({ routers: [{ router: local.playground }] });
  return {
    extend: [...gateway, playground],
    afterListen: async (app, serverUrl) => {
      print(`\ndramlink is running in local mode: open ${config.publicUrl}\n`);
      await local.afterListen(app.services, serverUrl);
    },
    stop: () => local.stop(),
  };
}
