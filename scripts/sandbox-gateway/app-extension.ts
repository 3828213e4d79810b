import type { AppExtension } from '../../server/app.ts';
import { SANDBOX_MOUNT_PATH } from '../../server/providers/sandbox/endpoints.ts';
import type { AppServices } from '../../server/services.ts';
import { createSandboxGateway, type SandboxGateway } from './create-gateway.ts';
import { createDbSandboxSessionStore } from './db-session-store.ts';

/**
 * The fake bank as an app extension (createApp's `extend`): mounted at /sandbox on the server whose
 * sandbox provider calls it. It reaches the app only over HTTP, like a bank: notifications go to
 * the notify URL, signed with the account's sandbox webhookSecret.
 */
export function sandboxGatewayExtension(services: AppServices): AppExtension & { gateway: SandboxGateway } {
  const gateway = createSandboxGateway({
    store: createDbSandboxSessionStore(services.store, services.clock),
    http: services.http,
    clock: services.clock,
    publicUrl: services.config.publicUrl,
    logger: services.logger,
    secretFor: async (accountId) => {
      const config = /^\d+$/.test(accountId) ? await services.providers.get(Number(accountId), 'sandbox') : undefined;
      return typeof config?.credentials.webhookSecret === 'string' ? config.credentials.webhookSecret : undefined;
    },
  });
  return { gateway, routers: [{ path: SANDBOX_MOUNT_PATH, router: gateway }], stop: () => gateway.close() };
}
