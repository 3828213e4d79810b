import { and, eq, inArray } from 'drizzle-orm';
import { rmSync, writeFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { randomBytes } from 'node:crypto';
import { accountIdsOtherThan } from '../../server/accounts/account-store.ts';
import { startAmocrmEmulator, type AmocrmEmulator } from '../amocrm-emulator/index.ts';
import { localAmocrmPath } from '../../server/cli/local-amocrm.ts';
import type { Config } from '../../server/config/config.ts';
import type { Store } from '../../server/db/store.ts';
import type { Logger } from '../../server/logging/logger.ts';
import type { AppServices } from '../../server/services.ts';
import { queueLeadUpdate } from '../../server/sync/outbox.ts';
import { DEMO, registerDemoPaywall, seedStableDemoAccount, type DemoAccount } from './demo-account.ts';
import { installThroughCallback } from './install.ts';
import { pipelineTriggerRoute, type FirePipelineHook } from './pipeline-trigger-route.ts';
import { playgroundRoutes } from './playground-routes.ts';
import { designedBotRunner, salesbotRunRoute, type RunDesignedBot } from './salesbot-run-route.ts';
import { loadOrCreateSandboxSecret } from './sandbox-secret.ts';
import { ensureWidgetBuilt, type WidgetBuildState } from './widget-build.ts';

/**
 * The integration id local mode registers with its own emulator. Its secret is generated on every
 * start (newLocalClientSecret): it signs the disposable tokens the playground mints, so a fixed one
 * would let anyone who knows this source mint admin tokens for a local server they can reach.
 */
export const LOCAL_CLIENT_ID = 'dramlink-local-client';

export function newLocalClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export interface LocalMode {
  emulator: AmocrmEmulator;
  demo: DemoAccount;
  /** The playground: `/` and `/playground/...`; devWingAddOn mounts it through createApp's `extend`. */
  playground: RequestHandler;
  /** Resolves when dist/widget is fresh (built now or before). */
  widget: Promise<WidgetBuildState>;
  /** Once the server listens: install the demo account through /oauth/callback and enable the sandbox. */
  afterListen(services: AppServices, serverUrl: string): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalModeOptions {
  config: Config;
  logger: Logger;
  /** The SQLite path (for PostgreSQL a name in ./data): its folder keeps the sandbox webhook secret. */
  databasePath: string;
  /** The opened database: local mode refuses one that holds real accounts. */
  store: Store;
  print?: (line: string) => void;
  /** Default: build dist/widget when stale (ensureWidgetBuilt). Tests pass a settled state instead. */
  widgetBuild?: () => Promise<WidgetBuildState>;
}

/**
 * Local mode (config.mode === 'local': no AMOCRM_CLIENT_ID and not production), started by
 * devWingAddOn before createApp: starts the widget build if dist/ is stale (in the background: the server
 * answers meanwhile and the playground's script.js request waits for it), starts the amoCRM
 * emulator on a free loopback port with the demo account, and points config.amocrm at it.
 */
export async function startLocalMode(o: LocalModeOptions): Promise<LocalMode> {
  const { config, logger } = o;
  if (config.mode !== 'local') throw new Error(`local mode only: this server runs in ${config.mode} mode`);
  await refuseForeignAccounts(o.store, o.store.sqlite ? o.databasePath : o.store.location);
  const print = o.print ?? ((line: string) => process.stdout.write(`${line}\n`));

  const build = o.widgetBuild ?? (() => ensureWidgetBuilt({ serverUrl: config.publicUrl, log: print }));
  const widget = build().then(
    (state) => {
      if (state.state === 'failed') {
        process.stderr.write(
          `local mode: the widget build failed; the playground cannot load script.js:\n${state.problems.map((p) => `  - ${p}`).join('\n')}\n`,
        );
      }
      return state;
    },
    (err: unknown) => {
      logger.error('local mode: the widget build crashed', { error: err });
      return { state: 'failed' as const, problems: [(err as Error).message ?? String(err)] };
    },
  );

  const clientSecret = newLocalClientSecret();
  const emulator = await startAmocrmEmulator({
    port: 0,
    clientId: LOCAL_CLIENT_ID,
    clientSecret,
    // Disposable tokens carry its origin as `aud`, which the server checks against its own.
    redirectUri: config.amocrm.redirectUri,
  });
  const demo = seedStableDemoAccount(emulator);
  registerDemoPaywall(emulator, config.publicUrl);
  if (config.amocrm.baseUrl && config.amocrm.baseUrl !== emulator.url) {
    logger.warn('local mode: AMOCRM_BASE_URL is replaced by the local amoCRM emulator', {
      configured: config.amocrm.baseUrl,
      emulator: emulator.url,
    });
  }
  config.amocrm.clientId = LOCAL_CLIENT_ID;
  config.amocrm.clientSecret = clientSecret;
  config.amocrm.baseUrl = emulator.url;
  // Where `npm run doctor` finds this amoCRM while the server runs (removed when it stops); an
  // in-memory database has nothing for doctor to open, so nothing is written then.
  const doctorFile = o.databasePath === ':memory:' ? undefined : localAmocrmPath(o.databasePath);
  if (doctorFile) {
    const local = { baseUrl: emulator.url, clientId: LOCAL_CLIENT_ID, clientSecret };
    writeFileSync(doctorFile, `${JSON.stringify(local)}\n`, { mode: 0o600 });
  }

  // The playground's "lead enters the stage": the emulator posts amoCRM's hook to this server once it listens.
  let firePipelineHook: FirePipelineHook | undefined;
  // The Salesbot designer stand-in's "run the bot": the emulator runs the saved step against this server.
  let runDesignedBot: RunDesignedBot | undefined;
  const playground = playgroundRoutes({ demo, emulatorUrl: emulator.url, widget });
  playground.use(pipelineTriggerRoute(() => firePipelineHook));
  playground.use(salesbotRunRoute(() => runDesignedBot));

  return {
    emulator,
    demo,
    widget,
    playground,
    async afterListen(services, serverUrl) {
      const result = await installThroughCallback({
        emulator,
        accountId: DEMO.accountId,
        serverUrl,
        redirectUri: config.amocrm.redirectUri,
      });
      await ensureSandboxProvider(services, loadOrCreateSandboxSecret(o.databasePath));
      firePipelineHook = (leadId, settings) =>
        emulator.fireDigitalPipeline(DEMO.accountId, { url: `${serverUrl}/amocrm/pipeline`, leadId, settings });
      runDesignedBot = designedBotRunner(emulator, [new URL(serverUrl).origin, new URL(config.publicUrl).origin]);
      const { salesbot } = DEMO;
      emulator.addSalesbot(DEMO.accountId, { ...salesbot, widgetRequestUrl: `${serverUrl}/amocrm/salesbot` });
      const refilled = await refillLeadFields(services);
      const users = demo.account.users.map((u) => `${u.name}${u.is_admin ? ' (admin)' : ''}`).join(', ');
      print(
        `local mode: amoCRM emulator at ${emulator.url}; account "${demo.account.subdomain}" (${DEMO.accountId}) installed through ${result.path}; users ${users}; ${demo.leads.length} leads; Salesbot #${DEMO.salesbot.id}; sandbox provider enabled (test)${refilled ? `; re-sending the dramlink fields of ${refilled} lead(s) with payments` : ''}`,
      );
    },
    stop: () => {
      if (doctorFile) rmSync(doctorFile, { force: true });
      return emulator.stop();
    },
  };
}

/**
 * Local mode hands out admin tokens to whoever opens the playground: it must never run on a
 * database with real accounts in it (a production database copied, or DATABASE_URL pointing at
 * one). Only its own demo account may be there.
 */
async function refuseForeignAccounts(store: Store, where: string): Promise<void> {
  const others = await store.run((tx) => accountIdsOtherThan(tx, DEMO.accountId));
  if (others.length === 0) return;
  throw new Error(
    `local mode refuses the database ${where}: it holds accounts other than the demo account (${others.join(', ')}${others.length === 5 ? ', …' : ''}), so it is not a local one. Point DATABASE_URL at another file, or run with AMOCRM_CLIENT_ID set (not local mode)`,
  );
}

/**
 * The demo account pays through the sandbox in test mode. An admin's changes made in the
 * playground's settings tab are kept across restarts as long as the sandbox stays enabled in test.
 */
export async function ensureSandboxProvider(
  services: Pick<AppServices, 'providers' | 'store'>,
  secret: string,
  accountId: number = DEMO.accountId,
): Promise<void> {
  const current = await services.providers.get(accountId, 'sandbox');
  const currentSecret = current?.credentials.webhookSecret;
  if (current?.enabled && current.mode === 'test' && typeof currentSecret === 'string' && currentSecret) return;
  await services.store.transaction((tx) =>
    services.providers.save(tx, accountId, {
      provider: 'sandbox',
      enabled: true,
      mode: 'test',
      credentials: { webhookSecret: typeof currentSecret === 'string' && currentSecret ? currentSecret : secret },
    }),
  );
}

/**
 * The emulator starts empty, the database does not: queue a lead update for every demo lead that
 * already has payments, so its dramlink fields show the current state again. (Earlier notes are not
 * replayed: they were written once, to the previous emulator.)
 */
export function refillLeadFields(services: Pick<AppServices, 'store' | 'clock'>, accountId: number = DEMO.accountId): Promise<number> {
  const demoLeads = DEMO.leads.map((l) => l.id);
  const now = services.clock.now();
  return services.store.transaction(function* (tx) {
    const { payments } = tx.t;
    const rows = yield* tx.all(
      tx
        .selectDistinct({ leadId: payments.leadId })
        .from(payments)
        .where(and(eq(payments.accountId, accountId), inArray(payments.leadId, demoLeads))),
    );
    for (const { leadId } of rows) yield* queueLeadUpdate(tx, { accountId, leadId, now });
    return rows.length;
  });
}
