import { reasonText, type ReachWords } from './reach-words.ts';

export const REACH_WORDS_PT: ReachWords = {
  created: (origin, money, actor, link) => {
    const tail = link ? `: ${link}` : '.';
    if (origin.kind === 'invoice')
      return `O cliente escolheu dramlink na página da fatura do amoCRM para pagar a fatura ${origin.name ? `«${origin.name}»` : `n.º ${origin.invoiceId}`}: foi criado um link de pagamento de ${money}${tail}`;
    if (origin.kind === 'pipeline') return `O Digital Pipeline criou um link de pagamento de ${money}${tail}`;
    if (origin.kind === 'salesbot') return `Um Salesbot pediu o link de pagamento; foi criado um link de ${money}${tail}`;
    return `${actor} criou um link de pagamento de ${money} a partir da lista de leads${tail}`;
  },
  sentBySalesbot: (money, actor, botId) =>
    `${actor} fez o Salesbot n.º ${botId} enviar o link de pagamento de ${money} para o chat do cliente (o amoCRM iniciou o bot).`,
  linkNotCreated: (source, reason) =>
    `${source === 'pipeline' ? 'O Digital Pipeline' : 'O Salesbot'} não conseguiu criar um link de pagamento: ${reasonText(REACH_WORDS_PT, reason)}.`,
  reasons: {
    no_price: 'o lead não tem valor; informe um ou defina um valor fixo no gatilho',
    invalid_price: 'o valor do lead não é um montante que possa ser cobrado',
    lead_not_found: 'o lead não existe mais',
    no_provider_enabled: 'nenhum método de pagamento está ativado nas configurações do dramlink',
    no_provider_for_currency: 'nenhum método de pagamento ativado aceita a moeda da conta',
    amocrm_unavailable: 'não foi possível ler o lead no amoCRM',
    live_link: 'já tem um link que pode ser pago',
    already_paid: 'já está pago',
  },
  customerMessage: ({ merchant, money, link, until }) =>
    `Olá! Este é o seu link de pagamento de ${merchant} de ${money}: ${link}\nÉ válido até ${until}. Pode pagar com cartão ou carteira.`,
};
