import { isPayable } from '../../shared/status.ts';
import type { AccountContext } from '../accounts/account-context.ts';
import { AmocrmError } from '../amocrm/errors.ts';
import { AppError, ConflictError } from '../errors/app-error.ts';
import { recordObservation } from '../observations/observation-store.ts';
import { paymentLink } from '../payments/create-payment.ts';
import type { LedgerDeps } from '../payments/deps.ts';
import { loadPayment } from '../payments/load-payment.ts';
import type { PaymentRow } from '../payments/payment-state.ts';
import { recordSent } from '../payments/record-sent.ts';

/**
 * "Send" on the lead card (docs/architecture.md, Send it from the card): amoCRM starts the account's
 * chosen Salesbot for the payment's lead, and the bot sends the link into the lead's connected
 * messenger (its dramlink step gets the live link, or it reads the DRAMLINK_LINK field). The send is
 * recorded only after amoCRM accepted the start; a bot amoCRM does not know is `salesbot_not_found`.
 * Never retried after an answer that may hide a success: a second start would send a second message.
 */
export async function sendViaSalesbot(
  deps: LedgerDeps & { publicUrl: string },
  input: { ctx: AccountContext; paymentId: string; actor: string; actorName?: string },
): Promise<PaymentRow> {
  const { ctx } = input;
  const payment = await deps.store.run((tx) => loadPayment(tx, input.paymentId, ctx.accountId));
  const now = deps.clock.now();
  if (!isPayable(payment.status) || now >= payment.expiresAt) {
    throw new ConflictError(
      'payment_not_payable',
      'This link can no longer be paid; sending it would not let the customer pay. Create a new link instead.',
    );
  }
  const botId = ctx.settings.salesbotId;
  if (!botId)
    throw new ConflictError(
      'salesbot_not_configured',
      'No Salesbot is chosen to send links: an admin sets its id in the dramlink settings.',
    );
  const note = (fields: Record<string, string | number | null>) =>
    deps.store.transaction((tx) => recordObservation(tx, ctx.accountId, 'bot_run', { botId, ...fields }, deps.clock.now()));
  try {
    await ctx.amocrm.salesbot.run({ botId, leadId: payment.leadId, kommo: ctx.account.baseDomain === 'kommo.com' });
  } catch (err) {
    await note({ lastErrorAt: deps.clock.now(), lastErrorCode: err instanceof AmocrmError ? err.code : 'error' });
    throw refusalOf(err, botId);
  }
  await note({ lastOkAt: deps.clock.now(), lastErrorCode: null });
  const link = paymentLink(deps.publicUrl, payment.linkToken);
  return recordSent(deps, { paymentId: payment.id, accountId: ctx.accountId, actor: input.actor, actorName: input.actorName, botId, link });
}

/**
 * What the manager is told when amoCRM did not start the bot. A bot amoCRM does not know (400, 404)
 * is `salesbot_not_found`; an answer that may hide a start (timeout, 5xx, a dropped connection) is
 * `salesbot_start_unknown`: nothing is recorded and nothing is repeated, the manager looks at the chat.
 */
function refusalOf(err: unknown, botId: number): unknown {
  if (!(err instanceof AmocrmError)) return err;
  if (err.code === 'amocrm_validation_failed' || err.code === 'amocrm_not_found') {
    return new ConflictError('salesbot_not_found', `amoCRM does not know Salesbot #${botId}: check the bot id in the dramlink settings.`);
  }
  if (err.ambiguous) {
    return new AppError(
      'salesbot_start_unknown',
      502,
      'amoCRM did not say whether it started the Salesbot, so no send was recorded: look at the lead’s chat before sending again.',
    );
  }
  return err;
}
