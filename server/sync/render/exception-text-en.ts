import type { ExceptionDetail } from '../../exceptions/exception-detail.ts';
import type { ExceptionPlace, LedgerStrings } from './strings.ts';

type Text = { message: string; action: string };

const REVIEW_ACTION = 'Open the payment in the lead card, check it in the provider cabinet and settle it with the customer.';
const REFUND_ACTION = 'Retry the refund from the panel or refund in the provider cabinet, then check the status.';

/** The English message and action of an exception. Data written by older versions may lack a field: say less, never fail. */
export function exceptionTextEn(detail: ExceptionDetail, place: ExceptionPlace, s: LedgerStrings): Text {
  switch (detail.kind) {
    case 'needs_review': {
      const { amountMinor, currency } = detail.data;
      const amount = amountMinor !== undefined && currency ? ` of ${s.money(amountMinor, currency)}` : '';
      return { message: `dramlink: check the payment${amount}: ${s.review[detail.reason] ?? detail.reason}`, action: REVIEW_ACTION };
    }
    case 'refund_failed': {
      const { amountMinor, currency, providerMessage } = detail.data;
      const amount = amountMinor !== undefined && currency ? ` of ${s.money(amountMinor, currency)}` : '';
      return { message: `A refund${amount} failed: ${providerMessage ?? 'rejected by the provider'}.`, action: REFUND_ACTION };
    }
    case 'sync_failing':
      return syncFailingText(detail, place);
    case 'account_blocked':
    case 'account_needs_reconnect':
      return accountText(detail);
  }
}

function syncFailingText(detail: Extract<ExceptionDetail, { kind: 'sync_failing' }>, place: ExceptionPlace): Text {
  const lead = place.leadId === null ? 'a lead' : `lead ${place.leadId}`;
  if (detail.reason === 'rejected') {
    return {
      message: `amoCRM rejected a ${(detail.data.jobKind ?? 'write').replace('_', ' ')} for ${lead}: ${detail.data.error ?? ''}`,
      action: 'Check the lead and the dramlink fields in amoCRM (a deleted lead, field or stage); the payment itself is unaffected.',
    };
  }
  const { attempts, error, retryEveryMinutes } = detail.data;
  return {
    message: `dramlink could not update ${lead} in amoCRM${attempts ? ` after ${attempts} attempts` : ''}${error ? ` (${error})` : ''}. The payment data is safe; dramlink keeps retrying every ${retryEveryMinutes ?? 30} minutes.`,
    action:
      "Check that amoCRM is reachable and dramlink's access to the account works; the lead is brought in step as soon as amoCRM accepts the write.",
  };
}

function accountText(detail: Extract<ExceptionDetail, { kind: 'account_blocked' | 'account_needs_reconnect' }>): Text {
  if (detail.reason === 'amocrm_403') {
    return {
      message: `amoCRM blocked API access for this account (HTTP 403), usually after too many requests. dramlink stopped every call and probes again after ${detail.data.cooldownMinutes ?? 10} minutes; CRM updates wait and are not lost.`,
      action:
        "If the block stays, ask amoCRM support (chat) to lift it, giving the subdomain, the account id and this server's IP address.",
    };
  }
  if (detail.reason === 'ip_not_allowed') {
    return {
      message: `amoCRM refuses API calls from this server's IP address: the account's API security settings allow only listed addresses. dramlink stopped every call and tries again after ${detail.data.cooldownMinutes ?? 10} minutes; CRM updates wait and are not lost.`,
      action:
        "An account admin adds this server's public IP address to the allowed addresses in amoCRM's API settings (or turns the restriction off).",
    };
  }
  if (detail.reason === 'token_refused') {
    return {
      message:
        "amoCRM refused to renew dramlink's access to this account (the integration was disabled, or its token lapsed after three months unused). CRM updates wait and are not lost.",
      action:
        'An account admin must install dramlink again (amoCRM → amoMarket → dramlink → Install); pending updates are sent afterwards.',
    };
  }
  return detail.kind === 'account_blocked'
    ? {
        message: 'amoCRM blocked API access for this account: lead updates are paused.',
        action: 'Wait for the block to lift (dramlink retries by itself); if it lasts, contact amoCRM support with the account id.',
      }
    : {
        message: 'dramlink lost access to this amoCRM account: leads are not updated until it is reconnected.',
        action:
          'An account administrator reinstalls dramlink (Settings → Integrations → dramlink). Payments keep working meanwhile; leads catch up afterwards.',
      };
}
