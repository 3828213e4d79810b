import { seedDemoAccount, startAmocrmEmulator } from './index.ts';

/**
 * `node --import tsx scripts/amocrm-emulator/main.ts`: one emulator with a seeded account, for
 * trying the server by hand (AMOCRM_BASE_URL = the printed URL). The integration settings come from
 * the same variables the server reads, so the two agree without extra flags.
 */
const port = Number(process.env.PORT ?? 4010);
const clientId = process.env.AMOCRM_CLIENT_ID ?? 'local-client-id';
const clientSecret = process.env.AMOCRM_CLIENT_SECRET ?? 'local-client-secret';
const redirectUri = process.env.AMOCRM_REDIRECT_URI ?? 'http://localhost:3000/oauth/callback';
const rps = process.env.AMOCRM_EMULATOR_RPS ? Number(process.env.AMOCRM_EMULATOR_RPS) : undefined;

const emu = await startAmocrmEmulator({ port, clientId, clientSecret, redirectUri, rps });
const { account, leads } = seedDemoAccount(emu);
const code = emu.issueAuthCode(account.id);
const install = new URL(redirectUri);
install.search = new URLSearchParams({ code, referer: account.referer, platform: '1', from_widget: '1' }).toString();

console.log(`amoCRM emulator on ${emu.url}`);
console.log(
  `account ${account.id} (${account.referer}), users ${account.users.map((u) => `${u.id} ${u.name}${u.is_admin ? ' (admin)' : ''}`).join(', ')}`,
);
console.log(`leads ${leads.map((l) => `${l.id} "${l.name}" ${l.price}`).join(', ')}`);
console.log(`install (code valid 20 min): ${install}`);
console.log(`more codes: POST ${emu.url}/__emulator/accounts/${account.id}/authorize`);

const shutdown = () => {
  void emu.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
