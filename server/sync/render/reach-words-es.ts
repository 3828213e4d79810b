import { reasonText, type ReachWords } from './reach-words.ts';

export const REACH_WORDS_ES: ReachWords = {
  created: (origin, money, actor, link) => {
    const tail = link ? `: ${link}` : '.';
    if (origin.kind === 'invoice')
      return `El cliente eligió dramlink en la página de factura de amoCRM para pagar la factura ${origin.name ? `«${origin.name}»` : `n.º ${origin.invoiceId}`}: se creó un enlace de pago por ${money}${tail}`;
    if (origin.kind === 'pipeline') return `Digital Pipeline creó un enlace de pago por ${money}${tail}`;
    if (origin.kind === 'salesbot') return `Un Salesbot pidió el enlace de pago; se creó un enlace por ${money}${tail}`;
    return `${actor} creó un enlace de pago por ${money} desde la lista de leads${tail}`;
  },
  sentBySalesbot: (money, actor, botId) =>
    `${actor} hizo que el Salesbot n.º ${botId} enviara el enlace de pago por ${money} al chat del cliente (amoCRM inició el bot).`,
  linkNotCreated: (source, reason) =>
    `${source === 'pipeline' ? 'Digital Pipeline' : 'El Salesbot'} no pudo crear un enlace de pago: ${reasonText(REACH_WORDS_ES, reason)}.`,
  reasons: {
    no_price: 'el lead no tiene presupuesto; indíquelo o fije un importe en el disparador',
    invalid_price: 'el presupuesto del lead no es un importe que se pueda cobrar',
    lead_not_found: 'el lead ya no existe',
    no_provider_enabled: 'no hay ningún método de pago activado en la configuración de dramlink',
    no_provider_for_currency: 'ningún método de pago activado acepta la moneda de la cuenta',
    amocrm_unavailable: 'no se pudo leer el lead en amoCRM',
    live_link: 'ya tiene un enlace que se puede pagar',
    already_paid: 'ya está pagado',
  },
  customerMessage: ({ merchant, money, link, until }) =>
    `¡Hola! Este es su enlace de pago de ${merchant} por ${money}: ${link}\nEs válido hasta ${until}. Puede pagar con tarjeta o billetera.`,
};
