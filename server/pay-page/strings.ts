/** Pay-page text in Armenian, Russian and English. Keys are identical across languages (a test checks). */
export const PAY_LANGUAGES = ['hy', 'ru', 'en'] as const;
export type PayLanguage = (typeof PAY_LANGUAGES)[number];

export const STRINGS = {
  hy: {
    title: 'Վճարում',
    payTo: 'Վճարում՝',
    amount: 'Գումար',
    chooseMethod: 'Ընտրեք վճարման եղանակը',
    payWith: 'Վճարել {provider}-ով',
    validUntil: 'Հղումը գործում է մինչև',
    timeZone: 'Երևանի ժամանակով',
    language: 'Լեզու',
    testMode: 'փորձնական վճարում',
    sandbox: 'Sandbox',
    alreadyPaid: 'Այս վճարումն արդեն կատարված է',
    alreadyPaidHint: 'Կրկին վճարելու կարիք չկա։ Շնորհակալություն։',
    paidAt: 'Վճարվել է',
    expired: 'Հղման ժամկետը լրացել է',
    expiredHint: 'Նոր հղում ստանալու համար դիմեք մենեջերին։',
    cancelled: 'Հղումը չեղարկված է',
    cancelledHint: 'Նոր հղում ստանալու համար դիմեք մենեջերին։',
    refunded: 'Վճարված գումարը վերադարձվել է',
    refundedHint: 'Գումարը վերադարձվել է ձեզ, և այս հղումն այլևս չի գործում։ Հարցերի դեպքում դիմեք մենեջերին։',
    partlyRefunded: 'Վճարումը կատարված է, գումարի մի մասը վերադարձվել է',
    partlyRefundedHint: 'Կրկին վճարելու կարիք չկա։ Հարցերի դեպքում դիմեք մենեջերին։',
    refundedAmount: 'Վերադարձվել է',
    notFound: 'Հղումը չի գտնվել',
    notFoundHint: 'Ստուգեք հղումը կամ դիմեք մենեջերին։',
    success: 'Վճարումը ստացված է',
    successHint: 'Վճարումը հաստատվել է վճարային համակարգի կողմից։',
    pending: 'Վճարումը մշակվում է',
    pendingHint: 'Մենք ստուգում ենք վճարումը։ Էջն ինքնաշխատ կթարմացվի։ Կրկին մի՛ վճարեք։',
    held: 'Վճարումը հաստատված է բանկի կողմից',
    heldHint: 'Գումարն արգելափակված է ձեր հաշվին և կգանձվի, երբ վաճառողը հաստատի պատվերը։ Կրկին մի՛ վճարեք։',
    failed: 'Վճարումը չհաջողվեց',
    failedHint: 'Գումարը չի գանձվել։ Կարող եք կրկին փորձել։',
    review: 'Վճարումը ստուգվում է',
    reviewHint: 'Մենեջերը կկապվի ձեզ հետ։',
    tryAgain: 'Կրկին փորձել',
    providerError: 'Վճարային համակարգը հասանելի չէ',
    providerErrorHint: 'Փորձեք մի փոքր ուշ կամ ընտրեք այլ եղանակ։',
    continue: 'Շարունակել',
    redirecting: 'Տեղափոխվում ենք վճարային էջ…',
    noMethods: 'Վճարման եղանակներ հասանելի չեն։ Դիմեք մենեջերին։',
    invoiceNotFound: 'Հաշիվը չի գտնվել',
    invoiceNotFoundHint: 'Խնդրում ենք դիմել վաճառողին, ով ձեզ հաշիվ է դուրս գրել։',
    invoiceCannotPay: 'Այս հաշիվը հնարավոր չէ վճարել առցանց',
    invoiceCannotPayHint: 'Խնդրում ենք դիմել վաճառողին, ով ձեզ հաշիվ է դուրս գրել։',
    methodUnavailable: 'Վճարման այս եղանակը հասանելի չէ',
    methodUnavailableHint: 'Վերադարձեք հաշվին և ընտրեք այլ եղանակ կամ դիմեք վաճառողին։',
    invoiceRefunded: 'Այս հաշվի գումարը վերադարձվել է',
    invoiceRefundedHint: 'Գումարը վերադարձվել է ձեզ։ Կրկին վճարելու համար խնդրեք վաճառողից նոր հաշիվ։',
    unavailable: 'Վճարումները ժամանակավորապես հասանելի չեն',
    unavailableHint: 'Խնդրում ենք կրկին փորձել մի քանի րոպեից։',
    phoneHint: 'Բացել հեռախոսով',
    phoneHintText: 'Սկանավորեք այս կոդը հեռախոսի տեսախցիկով՝ նույն էջը հեռախոսում բացելու համար։',
    qrAlt: 'Այս էջի հղման QR կոդ',
    back: 'Վերադառնալ',
  },
  ru: {
    title: 'Оплата',
    payTo: 'Оплата для',
    amount: 'Сумма',
    chooseMethod: 'Выберите способ оплаты',
    payWith: 'Оплатить через {provider}',
    validUntil: 'Ссылка действует до',
    timeZone: 'по времени Еревана',
    language: 'Язык',
    testMode: 'тестовая оплата',
    sandbox: 'тестовую песочницу',
    alreadyPaid: 'Этот счёт уже оплачен',
    alreadyPaidHint: 'Платить повторно не нужно. Спасибо!',
    paidAt: 'Оплачено',
    expired: 'Срок действия ссылки истёк',
    expiredHint: 'Попросите менеджера прислать новую ссылку.',
    cancelled: 'Ссылка отменена',
    cancelledHint: 'Попросите менеджера прислать новую ссылку.',
    refunded: 'Оплата возвращена',
    refundedHint: 'Деньги по этому счёту вернули вам, счёт больше не действует. Если есть вопросы, свяжитесь с менеджером.',
    partlyRefunded: 'Счёт оплачен, часть суммы возвращена',
    partlyRefundedHint: 'Платить повторно не нужно. Если есть вопросы, свяжитесь с менеджером.',
    refundedAmount: 'Возвращено',
    notFound: 'Ссылка не найдена',
    notFoundHint: 'Проверьте ссылку или свяжитесь с менеджером.',
    success: 'Оплата получена',
    successHint: 'Платёж подтверждён платёжной системой.',
    pending: 'Платёж обрабатывается',
    pendingHint: 'Мы проверяем платёж, страница обновится сама. Не оплачивайте повторно.',
    held: 'Банк одобрил оплату',
    heldHint: 'Сумма заблокирована на вашем счёте и будет списана, когда продавец подтвердит заказ. Не оплачивайте повторно.',
    failed: 'Оплата не прошла',
    failedHint: 'Деньги не списаны. Можно попробовать ещё раз.',
    review: 'Платёж на проверке',
    reviewHint: 'Менеджер свяжется с вами.',
    tryAgain: 'Попробовать снова',
    providerError: 'Платёжная система недоступна',
    providerErrorHint: 'Попробуйте чуть позже или выберите другой способ.',
    continue: 'Продолжить',
    redirecting: 'Переходим на страницу оплаты…',
    noMethods: 'Способы оплаты недоступны. Свяжитесь с менеджером.',
    invoiceNotFound: 'Счёт не найден',
    invoiceNotFoundHint: 'Пожалуйста, обратитесь к продавцу, который выставил вам счёт.',
    invoiceCannotPay: 'Этот счёт нельзя оплатить онлайн',
    invoiceCannotPayHint: 'Пожалуйста, обратитесь к продавцу, который выставил вам счёт.',
    methodUnavailable: 'Этот способ оплаты недоступен',
    methodUnavailableHint: 'Вернитесь к счёту и выберите другой способ или обратитесь к продавцу.',
    invoiceRefunded: 'Оплата по счёту возвращена',
    invoiceRefundedHint: 'Деньги вернули вам. Чтобы оплатить снова, попросите у продавца новый счёт.',
    unavailable: 'Оплата временно недоступна',
    unavailableHint: 'Пожалуйста, попробуйте ещё раз через несколько минут.',
    phoneHint: 'Открыть на телефоне',
    phoneHintText: 'Наведите камеру телефона на этот код, чтобы открыть эту страницу на телефоне.',
    qrAlt: 'QR-код ссылки на эту страницу',
    back: 'Назад',
  },
  en: {
    title: 'Payment',
    payTo: 'Payment to',
    amount: 'Amount',
    chooseMethod: 'Choose how to pay',
    payWith: 'Pay with {provider}',
    validUntil: 'Link valid until',
    timeZone: 'Yerevan time',
    language: 'Language',
    testMode: 'test payment',
    sandbox: 'Sandbox',
    alreadyPaid: 'This payment has already been made',
    alreadyPaidHint: 'There is no need to pay again. Thank you!',
    paidAt: 'Paid',
    expired: 'This payment link has expired',
    expiredHint: 'Ask the manager for a new link.',
    cancelled: 'This payment link was cancelled',
    cancelledHint: 'Ask the manager for a new link.',
    refunded: 'This payment was refunded',
    refundedHint: 'The money was returned to you and this link is no longer valid. If you have questions, contact the manager.',
    partlyRefunded: 'Paid; part of the amount was refunded',
    partlyRefundedHint: 'There is no need to pay again. If you have questions, contact the manager.',
    refundedAmount: 'Refunded',
    notFound: 'Payment link not found',
    notFoundHint: 'Check the link or contact the manager.',
    success: 'Payment received',
    successHint: 'The payment was confirmed by the payment provider.',
    pending: 'Payment is being processed',
    pendingHint: 'We are checking the payment; this page refreshes by itself. Please do not pay again.',
    held: 'Your bank approved the payment',
    heldHint: 'The amount is held on your account and is taken when the merchant confirms the order. Please do not pay again.',
    failed: 'The payment did not go through',
    failedHint: 'No money was taken. You can try again.',
    review: 'Payment under review',
    reviewHint: 'The manager will contact you.',
    tryAgain: 'Try again',
    providerError: 'The payment provider is unavailable',
    providerErrorHint: 'Try again a little later or choose another method.',
    continue: 'Continue',
    redirecting: 'Taking you to the payment page…',
    noMethods: 'No payment methods are available. Contact the manager.',
    invoiceNotFound: 'Invoice not found',
    invoiceNotFoundHint: 'Please contact the seller who issued the invoice to you.',
    invoiceCannotPay: 'This invoice cannot be paid online',
    invoiceCannotPayHint: 'Please contact the seller who issued the invoice to you.',
    methodUnavailable: 'This payment method is not available',
    methodUnavailableHint: 'Go back to the invoice and choose another method, or contact the seller.',
    invoiceRefunded: 'This invoice was refunded',
    invoiceRefundedHint: 'The money was returned to you. To pay again, ask the seller for a new invoice.',
    unavailable: 'Payments are temporarily unavailable',
    unavailableHint: 'Please try again in a few minutes.',
    phoneHint: 'Open on your phone',
    phoneHintText: 'Point your phone’s camera at this code to open this page on your phone.',
    qrAlt: 'QR code of this page’s link',
    back: 'Back',
  },
} as const satisfies Record<PayLanguage, Record<string, string>>;

export type PayStrings = Record<keyof (typeof STRINGS)['en'], string>;

/** A provider on its button: the name ("Pay with Idram"), and the cards it takes below, when it takes cards. */
export const PROVIDER_LABELS: Record<string, { name: string; cards?: string; test?: true }> = {
  ameriabank: { name: 'Ameriabank', cards: 'Visa, Mastercard, ArCa' },
  arca: { name: 'ArCa', cards: 'Visa, Mastercard, ArCa' },
  idram: { name: 'Idram' },
  telcell: { name: 'Telcell Wallet' },
  sandbox: { name: 'Sandbox', test: true },
};

/** Each language named in itself, for the switcher. */
export const LANGUAGE_NAMES: Record<PayLanguage, string> = { hy: 'Հայերեն', ru: 'Русский', en: 'English' };

/** The cookie that remembers the language the customer picked last (the switcher, or the page they paid from). */
export const LANGUAGE_COOKIE = 'dramlink_lang';

const norm = (l: string): PayLanguage | undefined =>
  l === 'am' ? 'hy' : (PAY_LANGUAGES as readonly string[]).includes(l) ? (l as PayLanguage) : undefined;

/** `?lang=` as a pay-page language, or undefined. "am" is accepted for hy. */
export function queryLanguage(query: unknown): PayLanguage | undefined {
  return norm(typeof query === 'string' ? query.toLowerCase() : '');
}

/** The remembered language from a Cookie header, or undefined. */
export function cookieLanguage(cookieHeader: string | undefined): PayLanguage | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === LANGUAGE_COOKIE) return norm(String(value ?? '').toLowerCase());
  }
  return undefined;
}

/**
 * ?lang= wins (the switcher, or a link that names its language), then the language the customer
 * picked last (cookie), then the browser's Accept-Language, then Armenian. A page the customer
 * comes back to from a provider (`preferRemembered`) takes the remembered language over the one in
 * its URL: a reused provider session carries the first attempt's language in its return URL.
 */
export function pickLanguage(
  query: unknown,
  acceptLanguage: string | undefined,
  opts: { cookie?: string; preferRemembered?: boolean } = {},
): PayLanguage {
  const fromQuery = queryLanguage(query);
  const remembered = cookieLanguage(opts.cookie);
  if (opts.preferRemembered && remembered) return remembered;
  if (fromQuery) return fromQuery;
  if (remembered) return remembered;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const l = norm(part.trim().split(';')[0].split('-')[0].toLowerCase());
    if (l) return l;
  }
  return 'hy';
}
