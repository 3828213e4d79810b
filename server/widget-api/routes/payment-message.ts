import type { Router } from 'express';
import type { PaymentMessageView } from '../../../shared/api.ts';
import { formatMoney, isCurrency } from '../../../shared/money.ts';
import { accountLanguage } from '../../accounts/account-language.ts';
import { paymentLink } from '../../payments/create-payment.ts';
import { loadPayment } from '../../payments/load-payment.ts';
import { ledgerStrings } from '../../sync/render/ledger-strings.ts';
import { untilText } from '../../sync/render/reach-words.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { idParam } from '../validate.ts';

/**
 * GET /payments/:id/message: the ready message a manager copies and sends the customer, in the
 * account's language (the customer's side), and the chat-template marker of the DRAMLINK_LINK field
 * (`{{lead.cf.<id>}}`, for amoCRM's reply templates). Copying records nothing: the manager marks the
 * link as sent once it really went.
 */
export function paymentMessageRoute(router: Router, deps: WidgetApiDeps): void {
  router.get('/payments/:id/message', deps.auth, async (req, res) => {
    const auth = authOf(res);
    const { store, config } = deps.services;
    const paymentId = idParam(req, 'id');
    const p = await store.run((tx) => loadPayment(tx, paymentId, auth.accountId));
    const { account } = auth.account;
    const language = accountLanguage(account);
    const text = ledgerStrings(language).reach.customerMessage({
      merchant: account.settings.merchantName ?? account.name ?? account.subdomain,
      money: isCurrency(p.currency) ? formatMoney(p.amountMinor, p.currency) : `${p.amountMinor} ${p.currency}`,
      link: paymentLink(config.publicUrl, p.linkToken),
      until: untilText(p.expiresAt, language),
    });
    const fieldId = account.fieldIds.DRAMLINK_LINK?.id;
    const view: PaymentMessageView = {
      text,
      language,
      templateMarker: fieldId !== undefined ? `{{lead.cf.${fieldId}}}` : null,
      salesbotConfigured: account.settings.salesbotId !== undefined,
    };
    res.json(view);
  });
}
