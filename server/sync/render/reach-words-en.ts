import { reasonText, type ReachWords } from './reach-words.ts';

export const REACH_WORDS_EN: ReachWords = {
  created: (origin, money, actor, link) => {
    const tail = link ? `: ${link}` : '.';
    if (origin.kind === 'invoice')
      return `The customer chose dramlink on amoCRM's invoice page to pay invoice ${origin.name ? `“${origin.name}”` : `#${origin.invoiceId}`}: a payment link for ${money} was created${tail}`;
    if (origin.kind === 'pipeline') return `Digital Pipeline created a payment link for ${money}${tail}`;
    if (origin.kind === 'salesbot') return `A Salesbot asked for the payment link; a link for ${money} was created${tail}`;
    return `${actor} created a payment link for ${money} from the lead list${tail}`;
  },
  sentBySalesbot: (money, actor, botId) =>
    `${actor} had Salesbot #${botId} send the payment link for ${money} to the customer's chat (amoCRM started the bot).`,
  linkNotCreated: (source, reason) =>
    `${source === 'pipeline' ? 'Digital Pipeline' : 'The Salesbot'} could not create a payment link: ${reasonText(REACH_WORDS_EN, reason)}.`,
  reasons: {
    no_price: 'the lead has no price; enter one, or set a fixed amount in the trigger',
    invalid_price: 'the lead’s price is not an amount that can be charged',
    lead_not_found: 'the lead no longer exists',
    no_provider_enabled: 'no payment method is enabled in the dramlink settings',
    no_provider_for_currency: 'no enabled payment method takes the account’s currency',
    amocrm_unavailable: 'amoCRM could not be reached to read the lead',
    live_link: 'it already has a link that can be paid',
    already_paid: 'it is already paid',
  },
  customerMessage: ({ merchant, money, link, until }) =>
    `Hello! Here is your payment link from ${merchant} for ${money}: ${link}\nIt is valid until ${until}. You can pay by card or wallet.`,
};
