import { formatMoney } from '../../../shared/money.ts';
import { exceptionText } from './exception-text.ts';
import { REACH_WORDS_PT } from './reach-words-pt.ts';
import { EXCEPTION_WORDS_PT } from './exception-words-pt.ts';
import { actorIn, capitalize, type LedgerStrings } from './strings.ts';

const PROVIDERS: Record<string, string> = {
  ameriabank: 'Ameriabank',
  arca: 'ArCa',
  idram: 'Idram',
  telcell: 'Telcell',
  sandbox: 'o sandbox de testes',
};
const CHANNELS: Record<string, string> = { copy: ' (link copiado)', email: ' por e-mail', sms: ' por SMS', chat: ' por chat' };

/** Portuguese (Kommo's Brazilian accounts). */
export const PORTUGUESE: LedgerStrings = {
  language: 'pt',
  money: (minor, currency) => formatMoney(minor, currency),
  via: (provider) => (provider ? ` com ${PROVIDERS[provider] ?? provider}` : ''),
  actor: actorIn({ user: 'usuário', customer: 'o cliente', provider: 'o provedor', system: 'dramlink' }),
  channel: (channel) => CHANNELS[channel] ?? '',
  review: {
    amount_mismatch: 'o provedor informou um valor diferente do solicitado',
    currency_mismatch: 'o provedor informou uma moeda diferente da solicitada',
    paid_after_expiry: 'o cliente pagou depois que o link expirou',
    paid_after_cancel: 'o cliente pagou depois que o link foi cancelado',
    double_payment: 'o cliente pagou este pagamento duas vezes',
    refund_exceeds_paid: 'o provedor informa mais reembolsado do que foi pago',
    refund_failed: 'um reembolso falhou no provedor',
    refund_unknown: 'o resultado de um reembolso é desconhecido',
    provider_unclear:
      'o provedor informa um estado que o dramlink não consegue resolver sozinho (por exemplo, fundos apenas retidos); verifique no painel do provedor',
    capture_failed:
      'não foi possível capturar o valor retido pelo banco; capture-o ou libere-o no painel do pagamento ou no portal do banco',
    void_failed: 'não foi possível liberar o valor retido de um pagamento cancelado ou já pago; libere-o no portal do banco',
  },
  notes: {
    created: (e, c, s) =>
      e.origin
        ? s.reach.created(e.origin, s.money(c.amountMinor, c.currency), capitalize(s.actor(c)), c.link)
        : `${capitalize(s.actor(c))} criou um link de pagamento de ${s.money(c.amountMinor, c.currency)}${c.link ? `: ${c.link}` : '.'}`,
    resent: (e, c, s) =>
      `${capitalize(s.actor(c))} marcou o link de pagamento de ${s.money(c.amountMinor, c.currency)} como enviado${s.channel(e.channel)}.`,
    sent: (e, c, s) => s.reach.sentBySalesbot(s.money(c.amountMinor, c.currency), capitalize(s.actor(c)), e.botId),
    authorized: (e, c, s) =>
      `O banco reteve ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} na conta do cliente (ainda não cobrado); ${e.captureMode === 'auto' ? 'o dramlink o captura agora' : 'um administrador o captura ou libera no painel do pagamento'}.`,
    paid: (e, c, s) =>
      `O cliente pagou ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)}. Confirmado com o provedor${e.providerRef ? `, referência ${e.providerRef}` : ''}.`,
    attempt_failed: (e, c, s) =>
      `Um pagamento${s.via(c.provider)} não foi concluído${e.rawStatus ? ` (o provedor respondeu “${e.rawStatus}”)` : ''}. O cliente pode tentar novamente com o mesmo link.`,
    expired: (_e, c, s) => `O link de pagamento de ${s.money(c.amountMinor, c.currency)} expirou sem pagamento.`,
    cancelled: (_e, c, s) => `${capitalize(s.actor(c))} cancelou o link de pagamento de ${s.money(c.amountMinor, c.currency)}.`,
    partially_refunded: (e, c, s) =>
      `${s.money(e.amountMinor, c.currency)} reembolsados ao cliente${s.via(c.provider)}; ${s.money(e.refundedTotalMinor, c.currency)} reembolsados no total.`,
    refunded: (e, c, s) =>
      `${s.money(e.amountMinor, c.currency)} reembolsados ao cliente${s.via(c.provider)}; o pagamento foi totalmente reembolsado (${s.money(e.refundedTotalMinor, c.currency)}).`,
    refund_failed: (e, c, s) =>
      `O reembolso de ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} falhou: ${e.message ?? 'o provedor recusou'}.`,
    review_needed: (e, c, s) => `Este pagamento precisa de revisão manual: ${s.review[e.reason]} (${s.money(c.amountMinor, c.currency)}).`,
  },
  tasks: {
    review: (e, c, s) => `Verifique o pagamento do dramlink de ${s.money(c.amountMinor, c.currency)}: ${s.review[e.reason]}.`,
    refundFailed: (e, c, s) =>
      `O reembolso de ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} falhou (${e.message ?? 'o provedor recusou'}). Reembolse novamente pelo card do lead ou no painel do provedor.`,
  },
  reach: REACH_WORDS_PT,
  exception: exceptionText(EXCEPTION_WORDS_PT),
};
