import { formatMoney } from '../../../shared/money.ts';
import { exceptionText } from './exception-text.ts';
import { REACH_WORDS_RU } from './reach-words-ru.ts';
import { EXCEPTION_WORDS_RU } from './exception-words-ru.ts';
import { actorIn, capitalize, type LedgerStrings } from './strings.ts';

const PROVIDERS: Record<string, string> = {
  ameriabank: 'Ameriabank',
  arca: 'ArCa',
  idram: 'Idram',
  telcell: 'Telcell',
  sandbox: 'тестовую песочницу',
};
const CHANNELS: Record<string, string> = { copy: ' (ссылка скопирована)', email: ' по e-mail', sms: ' по SMS', chat: ' в чате' };

/** Russian. The actor goes in parentheses: a manager's name does not tell the verb's gender. */
export const RUSSIAN: LedgerStrings = {
  language: 'ru',
  money: (minor, currency) => formatMoney(minor, currency),
  via: (provider) => (provider ? ` через ${PROVIDERS[provider] ?? provider}` : ''),
  actor: actorIn({ user: 'пользователь', customer: 'клиент', provider: 'провайдер', system: 'dramlink' }),
  channel: (channel) => CHANNELS[channel] ?? '',
  review: {
    amount_mismatch: 'провайдер сообщил другую сумму, чем была запрошена',
    currency_mismatch: 'провайдер сообщил другую валюту, чем была запрошена',
    paid_after_expiry: 'клиент оплатил после истечения срока ссылки',
    paid_after_cancel: 'клиент оплатил после отмены ссылки',
    double_payment: 'клиент оплатил этот платёж дважды',
    refund_exceeds_paid: 'провайдер сообщает, что возвращено больше, чем оплачено',
    refund_failed: 'возврат не прошёл у провайдера',
    refund_unknown: 'результат возврата неизвестен',
    provider_unclear:
      'провайдер сообщает состояние, которое dramlink не может определить сам (например, деньги только заблокированы); проверьте его в кабинете провайдера',
    capture_failed:
      'не удалось списать деньги, заблокированные банком; спишите их или снимите блокировку в панели платежа или в кабинете банка',
    void_failed: 'не удалось снять блокировку денег по отменённому или уже оплаченному платежу; снимите её в кабинете банка',
  },
  notes: {
    created: (e, c, s) =>
      e.origin
        ? s.reach.created(e.origin, s.money(c.amountMinor, c.currency), capitalize(s.actor(c)), c.link)
        : `Создана ссылка на оплату ${s.money(c.amountMinor, c.currency)} (${s.actor(c)})${c.link ? `: ${c.link}` : '.'}`,
    resent: (e, c, s) =>
      `Ссылка на оплату ${s.money(c.amountMinor, c.currency)} отмечена как отправленная${s.channel(e.channel)} (${s.actor(c)}).`,
    sent: (e, c, s) => s.reach.sentBySalesbot(s.money(c.amountMinor, c.currency), capitalize(s.actor(c)), e.botId),
    authorized: (e, c, s) =>
      `Банк заблокировал ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} на счёте клиента (деньги ещё не списаны); ${e.captureMode === 'auto' ? 'dramlink списывает их сейчас' : 'администратор списывает их или снимает блокировку в панели платежа'}.`,
    paid: (e, c, s) =>
      `Клиент оплатил ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)}. Оплата подтверждена провайдером${e.providerRef ? `, номер операции ${e.providerRef}` : ''}.`,
    attempt_failed: (e, c, s) =>
      `Оплата${s.via(c.provider)} не прошла${e.rawStatus ? ` (ответ провайдера: «${e.rawStatus}»)` : ''}. Клиент может попробовать ещё раз по той же ссылке.`,
    expired: (_e, c, s) => `Срок ссылки на оплату ${s.money(c.amountMinor, c.currency)} истёк, оплаты не было.`,
    cancelled: (_e, c, s) => `Ссылка на оплату ${s.money(c.amountMinor, c.currency)} отменена (${s.actor(c)}).`,
    partially_refunded: (e, c, s) =>
      `Клиенту возвращено ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)}; всего возвращено ${s.money(e.refundedTotalMinor, c.currency)}.`,
    refunded: (e, c, s) =>
      `Клиенту возвращено ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)}; платёж возвращён полностью (${s.money(e.refundedTotalMinor, c.currency)}).`,
    refund_failed: (e, c, s) =>
      `Возврат ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} не прошёл: ${e.message ?? 'провайдер отказал'}.`,
    review_needed: (e, c, s) => `Платёж нужно проверить вручную: ${s.review[e.reason]} (${s.money(c.amountMinor, c.currency)}).`,
  },
  tasks: {
    review: (e, c, s) => `Проверьте платёж dramlink на ${s.money(c.amountMinor, c.currency)}: ${s.review[e.reason]}.`,
    refundFailed: (e, c, s) =>
      `Возврат ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} не прошёл (${e.message ?? 'провайдер отказал'}). Повторите возврат из карточки сделки или в кабинете провайдера.`,
  },
  reach: REACH_WORDS_RU,
  exception: exceptionText(EXCEPTION_WORDS_RU),
};
