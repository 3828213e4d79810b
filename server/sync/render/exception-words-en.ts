import type { ExceptionWords } from './exception-text.ts';

const JOB_KINDS: Record<string, string> = {
  lead_update: 'lead update',
  note: 'note',
  task: 'task',
  invoice_update: 'the invoice update',
  bot_continue: 'the Salesbot answer',
};

export const EXCEPTION_WORDS_EN: ExceptionWords = {
  lead: (id) => (id === null ? 'a lead' : `lead ${id}`),
  jobKind: (kind) => JOB_KINDS[kind] ?? 'write',
  review: (amount, reason) => ({
    message: `dramlink: check the payment${amount ? ` of ${amount}` : ''}: ${reason}`,
    action: 'Open the payment in the lead card, check it in the provider cabinet and settle it with the customer.',
  }),
  refundFailed: (amount, providerMessage) => ({
    message: `A refund${amount ? ` of ${amount}` : ''} failed: ${providerMessage ?? 'rejected by the provider'}.`,
    action: 'Retry the refund from the panel or refund in the provider cabinet, then check the status.',
  }),
  rejected: (jobKind, lead, error) => ({
    message: `amoCRM rejected a ${jobKind} for ${lead}: ${error}`,
    action: 'Check the lead and the dramlink fields in amoCRM (a deleted lead, field or stage); the payment itself is unaffected.',
  }),
  retrying: (lead, attempts, error, every) => ({
    message: `dramlink could not update ${lead} in amoCRM${attempts ? ` after ${attempts} attempts` : ''}${error ? ` (${error})` : ''}. The payment data is safe; dramlink keeps retrying every ${every} minutes.`,
    action:
      "Check that amoCRM is reachable and dramlink's access to the account works; the lead is brought in step as soon as amoCRM accepts the write.",
  }),
  blocked403: (cooldown) => ({
    message: `amoCRM blocked API access for this account (HTTP 403), usually after too many requests. dramlink stopped every call and probes again after ${cooldown} minutes; CRM updates wait and are not lost.`,
    action: "If the block stays, ask amoCRM support (chat) to lift it, giving the subdomain, the account id and this server's IP address.",
  }),
  ipNotAllowed: (cooldown) => ({
    message: `amoCRM refuses API calls from this server's IP address: the account's API security settings allow only listed addresses. dramlink stopped every call and tries again after ${cooldown} minutes; CRM updates wait and are not lost.`,
    action:
      "An account admin adds this server's public IP address to the allowed addresses in amoCRM's API settings (or turns the restriction off).",
  }),
  tokenRefused: {
    message:
      "amoCRM refused to renew dramlink's access to this account (the integration was disabled, or its token lapsed after three months unused). CRM updates wait and are not lost.",
    action: 'An account admin must install dramlink again (amoCRM → amoMarket → dramlink → Install); pending updates are sent afterwards.',
  },
  blocked: {
    message: 'amoCRM blocked API access for this account: lead updates are paused.',
    action: 'Wait for the block to lift (dramlink retries by itself); if it lasts, contact amoCRM support with the account id.',
  },
  reconnect: {
    message: 'dramlink lost access to this amoCRM account: leads are not updated until it is reconnected.',
    action:
      'An account administrator reinstalls dramlink (Settings → Integrations → dramlink). Payments keep working meanwhile; leads catch up afterwards.',
  },
};
