import type { ExceptionWords } from './exception-text.ts';

const JOB_KINDS: Record<string, string> = { lead_update: 'обновление сделки', note: 'примечание', task: 'задачу' };

export const EXCEPTION_WORDS_RU: ExceptionWords = {
  lead: (id) => (id === null ? 'сделки' : `сделки ${id}`),
  jobKind: (kind) => JOB_KINDS[kind] ?? 'запись',
  review: (amount, reason) => ({
    message: `dramlink: проверьте платёж${amount ? ` на ${amount}` : ''}: ${reason}`,
    action: 'Откройте платёж в карточке сделки, сверьте его в кабинете провайдера и решите вопрос с клиентом.',
  }),
  refundFailed: (amount, providerMessage) => ({
    message: `Возврат${amount ? ` ${amount}` : ''} не прошёл: ${providerMessage ?? 'провайдер отказал'}.`,
    action: 'Повторите возврат из панели или сделайте его в кабинете провайдера, затем проверьте статус.',
  }),
  rejected: (jobKind, lead, error) => ({
    message: `amoCRM отклонил ${jobKind} для ${lead}: ${error}`,
    action: 'Проверьте сделку и поля dramlink в amoCRM (удалённая сделка, поле или этап); сам платёж не затронут.',
  }),
  retrying: (lead, attempts, error, every) => ({
    message: `dramlink не смог обновить данные ${lead} в amoCRM${attempts ? ` после ${attempts} попыток` : ''}${error ? ` (${error})` : ''}. Данные платежа сохранены; dramlink повторяет попытку каждые ${every} минут.`,
    action: 'Проверьте, что amoCRM доступен и у dramlink есть доступ к аккаунту; сделка обновится, как только amoCRM примет запись.',
  }),
  blocked403: (cooldown) => ({
    message: `amoCRM заблокировал доступ к API этого аккаунта (HTTP 403), обычно из-за слишком частых запросов. dramlink остановил все запросы и проверит снова через ${cooldown} минут; обновления сделок ждут и не потеряются.`,
    action: 'Если блокировка не снимается, напишите в поддержку amoCRM (чат): поддомен, id аккаунта и IP-адрес этого сервера.',
  }),
  tokenRefused: {
    message:
      'amoCRM отказался продлить доступ dramlink к этому аккаунту (интеграцию отключили, или токен истёк после трёх месяцев без использования). Обновления сделок ждут и не потеряются.',
    action:
      'Администратор аккаунта должен установить dramlink заново (amoCRM → amoМаркет → dramlink → Установить); накопленные обновления отправятся после этого.',
  },
  blocked: {
    message: 'amoCRM заблокировал доступ к API этого аккаунта: обновления сделок приостановлены.',
    action: 'Дождитесь снятия блокировки (dramlink повторит сам); если она не снимается, обратитесь в поддержку amoCRM с id аккаунта.',
  },
  reconnect: {
    message: 'dramlink потерял доступ к этому аккаунту amoCRM: сделки не обновляются, пока интеграцию не подключат заново.',
    action:
      'Администратор аккаунта устанавливает dramlink заново (Настройки → Интеграции → dramlink). Платежи тем временем работают; сделки обновятся после подключения.',
  },
};
