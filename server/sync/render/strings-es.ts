import { formatMoney } from '../../../shared/money.ts';
import { exceptionText } from './exception-text.ts';
import { REACH_WORDS_ES } from './reach-words-es.ts';
import { EXCEPTION_WORDS_ES } from './exception-words-es.ts';
import { actorIn, capitalize, type LedgerStrings } from './strings.ts';

const PROVIDERS: Record<string, string> = {
  ameriabank: 'Ameriabank',
  arca: 'ArCa',
  idram: 'Idram',
  telcell: 'Telcell',
  sandbox: 'el sandbox de pruebas',
};
const CHANNELS: Record<string, string> = {
  copy: ' (enlace copiado)',
  email: ' por correo electrónico',
  sms: ' por SMS',
  chat: ' por chat',
};

/** Spanish (Kommo's Latin American accounts). */
export const SPANISH: LedgerStrings = {
  language: 'es',
  money: (minor, currency) => formatMoney(minor, currency),
  via: (provider) => (provider ? ` con ${PROVIDERS[provider] ?? provider}` : ''),
  actor: actorIn({ user: 'usuario', customer: 'el cliente', provider: 'el proveedor', system: 'dramlink' }),
  channel: (channel) => CHANNELS[channel] ?? '',
  review: {
    amount_mismatch: 'el proveedor informó un importe distinto del solicitado',
    currency_mismatch: 'el proveedor informó una moneda distinta de la solicitada',
    paid_after_expiry: 'el cliente pagó después de que venciera el enlace',
    paid_after_cancel: 'el cliente pagó después de que se cancelara el enlace',
    double_payment: 'el cliente pagó dos veces este pago',
    refund_exceeds_paid: 'el proveedor informa más reembolsado que lo pagado',
    refund_failed: 'un reembolso falló en el proveedor',
    refund_unknown: 'no se conoce el resultado de un reembolso',
    provider_unclear:
      'el proveedor informa un estado que dramlink no puede resolver solo (por ejemplo, fondos solo retenidos); revíselo en el panel del proveedor',
    capture_failed: 'no se pudo cobrar el importe retenido por el banco; cóbrelo o libérelo desde el panel del pago o el portal del banco',
    void_failed: 'no se pudo liberar el importe retenido de un pago cancelado o ya pagado; libérelo en el portal del banco',
  },
  notes: {
    created: (e, c, s) =>
      e.origin
        ? s.reach.created(e.origin, s.money(c.amountMinor, c.currency), capitalize(s.actor(c)), c.link)
        : `${capitalize(s.actor(c))} creó un enlace de pago por ${s.money(c.amountMinor, c.currency)}${c.link ? `: ${c.link}` : '.'}`,
    resent: (e, c, s) =>
      `${capitalize(s.actor(c))} marcó el enlace de pago por ${s.money(c.amountMinor, c.currency)} como enviado${s.channel(e.channel)}.`,
    sent: (e, c, s) => s.reach.sentBySalesbot(s.money(c.amountMinor, c.currency), capitalize(s.actor(c)), e.botId),
    authorized: (e, c, s) =>
      `El banco retuvo ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} en la cuenta del cliente (aún sin cobrar); ${e.captureMode === 'auto' ? 'dramlink lo cobra ahora' : 'un administrador lo cobra o lo libera en el panel del pago'}.`,
    paid: (e, c, s) =>
      `El cliente pagó ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)}. Confirmado con el proveedor${e.providerRef ? `, referencia ${e.providerRef}` : ''}.`,
    attempt_failed: (e, c, s) =>
      `Un pago${s.via(c.provider)} no se completó${e.rawStatus ? ` (el proveedor respondió «${e.rawStatus}»)` : ''}. El cliente puede intentarlo de nuevo con el mismo enlace.`,
    expired: (_e, c, s) => `El enlace de pago por ${s.money(c.amountMinor, c.currency)} venció sin pago.`,
    cancelled: (_e, c, s) => `${capitalize(s.actor(c))} canceló el enlace de pago por ${s.money(c.amountMinor, c.currency)}.`,
    partially_refunded: (e, c, s) =>
      `Se reembolsaron ${s.money(e.amountMinor, c.currency)} al cliente${s.via(c.provider)}; ${s.money(e.refundedTotalMinor, c.currency)} reembolsados en total.`,
    refunded: (e, c, s) =>
      `Se reembolsaron ${s.money(e.amountMinor, c.currency)} al cliente${s.via(c.provider)}; el pago está reembolsado por completo (${s.money(e.refundedTotalMinor, c.currency)}).`,
    refund_failed: (e, c, s) =>
      `El reembolso de ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} falló: ${e.message ?? 'el proveedor lo rechazó'}.`,
    review_needed: (e, c, s) => `Este pago necesita una revisión manual: ${s.review[e.reason]} (${s.money(c.amountMinor, c.currency)}).`,
  },
  tasks: {
    review: (e, c, s) => `Revise el pago de dramlink por ${s.money(c.amountMinor, c.currency)}: ${s.review[e.reason]}.`,
    refundFailed: (e, c, s) =>
      `El reembolso de ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} falló (${e.message ?? 'el proveedor lo rechazó'}). Reembolse de nuevo desde la tarjeta del lead o en el panel del proveedor.`,
  },
  reach: REACH_WORDS_ES,
  exception: exceptionText(EXCEPTION_WORDS_ES),
};
