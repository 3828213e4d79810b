import type { AccountInput, AmocrmEmulator, EmuAccount, EmuLead } from './types.ts';

/**
 * The account local mode and the CLI start with: a couple of users and leads with prices, and no
 * dramlink fields, so the install flow has to create them as it would on a real account.
 */
export function seedDemoAccount(emu: AmocrmEmulator, input: AccountInput = {}): { account: EmuAccount; leads: EmuLead[] } {
  const account = emu.addAccount({
    subdomain: 'dramlink-demo',
    name: 'dramlink demo',
    users: [
      { name: 'Anna Admin', is_admin: true },
      { name: 'Mher Manager', is_admin: false },
    ],
    ...input,
  });
  const main = account.pipelines.find((p) => p.is_main) ?? account.pipelines[0];
  const stage = (i: number) => main.statuses.filter((s) => s.type === 0)[i]?.id;
  const leads = [
    { name: 'Website redesign', price: 450_000, statusId: stage(0) },
    { name: 'Annual support plan', price: 1_200_000, statusId: stage(1) },
    { name: 'Workshop seats ×3', price: 75_000, statusId: stage(2) },
  ].map((l) => emu.addLead(account.id, l));
  return { account, leads };
}
