import type { AmocrmEmulator, EmuAccount, EmuLead } from '../amocrm-emulator/index.ts';

/**
 * The demo account of local mode, with every id fixed: the emulator lives in memory and starts
 * empty each time, while the payments in ./data/dramlink.db name their account and lead by id, so
 * yesterday's payments must find the same lead today. The ids are amoCRM-sized (the emulator's
 * own sequence starts), the names and prices those of the emulator's seedDemoAccount.
 */
export const DEMO = {
  accountId: 31_000_001,
  subdomain: 'dramlink-demo',
  adminUserId: 9_100_001,
  managerUserId: 9_100_002,
  pipelineId: 8_200_001,
  leads: [
    { id: 24_000_001, name: 'Website redesign', price: 450_000, stage: 0 },
    { id: 24_000_002, name: 'Annual support plan', price: 1_200_000, stage: 1 },
    { id: 24_000_003, name: 'Workshop seats ×3', price: 75_000, stage: 2 },
    { id: 24_000_004, name: 'Catering for 20 (invoice)', price: 60_000, stage: 0 },
    // No price yet: the lead list's bulk run skips it ("no price"), as it would a real one.
    { id: 24_000_005, name: 'Consultation (no price yet)', price: 0, stage: 0 },
  ],
  /**
   * The account's Salesbot that "Send" on the card starts (an admin enters its id in the dramlink
   * settings): its widget step asks this server for the lead's link, then it sends the link into
   * the lead's chat (the emulator's botMessages).
   */
  salesbot: { id: 7_300_001, name: 'Отправка ссылки на оплату', message: 'Ссылка на оплату: {{json.payment_url}}' },
  /** amoCRM's own invoice ("Счета/покупки") made from the last lead, paid through dramlink's PayWall address. */
  invoice: { id: 4_100_001, leadId: 24_000_004, name: 'Счёт №1 · кейтеринг', item: 'Кейтеринг на 20 человек', price: 60_000 },
} as const;

const STATUSES = [
  { id: 71_000_001, name: 'Неразобранное', sort: 10, type: 1 as const },
  { id: 71_000_002, name: 'Первичный контакт', sort: 20, type: 0 as const },
  { id: 71_000_003, name: 'Переговоры', sort: 30, type: 0 as const },
  { id: 71_000_004, name: 'Принимают решение', sort: 40, type: 0 as const },
  { id: 71_000_005, name: 'Согласование договора', sort: 50, type: 0 as const },
];

export interface DemoAccount {
  account: EmuAccount;
  leads: EmuLead[];
}

export function seedStableDemoAccount(emu: AmocrmEmulator): DemoAccount {
  const account = emu.addAccount({
    id: DEMO.accountId,
    subdomain: DEMO.subdomain,
    name: 'dramlink demo',
    // amoCRM's main market: the demo admin works in Russian, so dramlink writes in Russian.
    language: 'ru',
    users: [
      { id: DEMO.adminUserId, name: 'Anna Admin', is_admin: true },
      { id: DEMO.managerUserId, name: 'Mher Manager', is_admin: false },
    ],
    pipelines: [{ id: DEMO.pipelineId, name: 'Воронка', is_main: true, statuses: STATUSES }],
  });
  const regular = STATUSES.filter((s) => s.type === 0);
  const leads = DEMO.leads.map((l) =>
    emu.addLead(account.id, { id: l.id, name: l.name, price: l.price, pipelineId: DEMO.pipelineId, statusId: regular[l.stage].id }),
  );
  emu.enableInvoices(account.id);
  const i = DEMO.invoice;
  emu.addInvoice(account.id, {
    id: i.id,
    name: i.name,
    leadId: i.leadId,
    items: [{ description: i.item, unit_price: i.price, quantity: 1 }],
  });
  return { account, leads };
}

/**
 * What an acquiring integration registers in amoCRM (docs/architecture.md, Invoices): the payment
 * address with amoCRM's markers, and one method per provider (the code is our provider name). The
 * emulator's invoice page links each method there.
 */
export function registerDemoPaywall(emu: AmocrmEmulator, publicUrl: string): void {
  emu.setPaywall({
    address: `${publicUrl}/paywall/:account_id/:invoice_id/:payment_method_code`,
    methods: [{ code: 'sandbox', name: 'Sandbox (test card)' }],
  });
}
