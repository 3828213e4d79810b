/** Pay-page text in Armenian, Russian and English. Keys are identical across languages (a test checks). */
export const PAY_LANGUAGES = ['hy', 'ru', 'en'] as const;
export type PayLanguage = (typeof PAY_LANGUAGES)[number];

export const STRINGS = {
  hy: {
    title: 'Վճարում',
    payTo: 'Վճարում՝',
    amount: 'Գումար',
    chooseMethod: 'Ընտրեք վճարման եղանակը',
    payWith: 'Վճարել',
    validUntil: 'Հղումը գործում է մինչև',
    alreadyPaid: 'Այս վճարումն արդեն կատարված է',
    alreadyPaidHint: 'Կրկին վճարելու կարիք չկա։ Շնորհակալություն։',
    paidAt: 'Վճարված է',
    expired: 'Հղման ժամկետը լրացել է',
    expiredHint: 'Նոր հղում ստանալու համար դիմեք մենեջերին։',
    cancelled: 'Հղումը չեղարկված է',
    cancelledHint: 'Նոր հղում ստանալու համար դիմեք մենեջերին։',
    notFound: 'Հղումը չի գտնվել',
    notFoundHint: 'Ստուգեք հղումը կամ դիմեք մենեջերին։',
    success: 'Վճարումը ստացված է',
    successHint: 'Վճարումը հաստատվել է վճարային համակարգի կողմից։',
    pending: 'Վճարումը մշակվում է',
    pendingHint: 'Մենք ստուգում ենք վճարումը։ Էջը ինքնաշխատ կթարմացվի։ Չվճարեք կրկին։',
    held: 'Վճարումը հաստատված է բանկի կողմից',
    heldHint: 'Գումարը արգելափակված է ձեր հաշվին և կգանձվի, երբ վաճառողը հաստատի պատվերը։ Չվճարեք կրկին։',
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
    back: 'Վերադառնալ',
  },
  ru: {
    title: 'Оплата',
    payTo: 'Оплата для',
    amount: 'Сумма',
    chooseMethod: 'Выберите способ оплаты',
    payWith: 'Оплатить через',
    validUntil: 'Ссылка действует до',
    alreadyPaid: 'Этот счёт уже оплачен',
    alreadyPaidHint: 'Платить повторно не нужно. Спасибо!',
    paidAt: 'Оплачено',
    expired: 'Срок действия ссылки истёк',
    expiredHint: 'Попросите менеджера прислать новую ссылку.',
    cancelled: 'Ссылка отменена',
    cancelledHint: 'Попросите менеджера прислать новую ссылку.',
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
    back: 'Назад',
  },
  en: {
    title: 'Payment',
    payTo: 'Payment to',
    amount: 'Amount',
    chooseMethod: 'Choose how to pay',
    payWith: 'Pay with',
    validUntil: 'Link valid until',
    alreadyPaid: 'This payment has already been made',
    alreadyPaidHint: 'There is no need to pay again. Thank you!',
    paidAt: 'Paid',
    expired: 'This payment link has expired',
    expiredHint: 'Ask the manager for a new link.',
    cancelled: 'This payment link was cancelled',
    cancelledHint: 'Ask the manager for a new link.',
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
    back: 'Back',
  },
} as const satisfies Record<PayLanguage, Record<string, string>>;

export type PayStrings = Record<keyof (typeof STRINGS)['en'], string>;

export const PROVIDER_LABELS: Record<string, string> = {
  ameriabank: 'Ameriabank (Visa, Mastercard, ArCa)',
  arca: 'ArCa (Visa, Mastercard, ArCa)',
  idram: 'Idram',
  telcell: 'Telcell Wallet',
  sandbox: 'Sandbox (test)',
};

/** ?lang= wins, then the browser's Accept-Language, then Armenian. "am" is accepted for hy. */
export function pickLanguage(query: unknown, acceptLanguage: string | undefined): PayLanguage {
  const q = typeof query === 'string' ? query.toLowerCase() : '';
  const norm = (l: string): PayLanguage | undefined =>
    l === 'am' ? 'hy' : (PAY_LANGUAGES as readonly string[]).includes(l) ? (l as PayLanguage) : undefined;
  const fromQuery = norm(q);
  if (fromQuery) return fromQuery;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const l = norm(part.trim().split(';')[0].split('-')[0].toLowerCase());
    if (l) return l;
  }
  return 'hy';
}
