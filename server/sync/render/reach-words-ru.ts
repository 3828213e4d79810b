import { reasonText, type ReachWords } from './reach-words.ts';

export const REACH_WORDS_RU: ReachWords = {
  created: (origin, money, actor, link) => {
    const tail = link ? `: ${link}` : '.';
    if (origin.kind === 'invoice')
      return `Клиент выбрал dramlink на странице счёта amoCRM, чтобы оплатить счёт ${origin.name ? `«${origin.name}»` : `№${origin.invoiceId}`}: создана ссылка на оплату ${money}${tail}`;
    if (origin.kind === 'pipeline') return `Digital Pipeline создал ссылку на оплату ${money}${tail}`;
    if (origin.kind === 'salesbot') return `Salesbot запросил ссылку на оплату; создана ссылка на ${money}${tail}`;
    return `Ссылка на оплату ${money} создана из списка сделок (${actor})${tail}`;
  },
  sentBySalesbot: (money, actor, botId) =>
    `Ссылка на оплату ${money} отправлена клиенту в чат через Salesbot №${botId} (${actor}; amoCRM запустил бота).`,
  linkNotCreated: (source, reason) =>
    `${source === 'pipeline' ? 'Digital Pipeline' : 'Salesbot'} не смог создать ссылку на оплату: ${reasonText(REACH_WORDS_RU, reason)}.`,
  reasons: {
    no_price: 'у сделки нет бюджета; укажите его или задайте фиксированную сумму в триггере',
    invalid_price: 'бюджет сделки нельзя принять к оплате',
    lead_not_found: 'сделка больше не существует',
    no_provider_enabled: 'в настройках dramlink не включён ни один способ оплаты',
    no_provider_for_currency: 'ни один включённый способ оплаты не принимает валюту аккаунта',
    amocrm_unavailable: 'не удалось прочитать сделку в amoCRM',
    live_link: 'у сделки уже есть ссылка, которую можно оплатить',
    already_paid: 'сделка уже оплачена',
  },
  customerMessage: ({ merchant, money, link, until }) =>
    `Здравствуйте! Ссылка на оплату от ${merchant} на сумму ${money}: ${link}\nСсылка действует до ${until}. Оплатить можно картой или кошельком.`,
};
