import type { AccountLanguage } from '../../../shared/api.ts';
import type { CrmStatus } from '../../../shared/crm-status.ts';
import type { LeadFieldCode } from '../../accounts/field-ids.ts';

/**
 * The names of the dramlink lead fields and the option labels of `DRAMLINK_STATUS`, per language.
 * Codes (`DRAMLINK_STATUS`, `paid`…) never change, so an account changing language is relabeled,
 * not migrated. `expired` covers a link that ran out and one a manager cancelled: the seven
 * statuses are fixed, and a cancelled link is not payable either (docs/architecture.md, Status rules).
 */
export interface FieldLabels {
  names: Record<LeadFieldCode, string>;
  statuses: Record<CrmStatus, string>;
}

export const FIELD_LABELS: Record<AccountLanguage, FieldLabels> = {
  en: {
    names: {
      DRAMLINK_STATUS: 'dramlink: payment status',
      DRAMLINK_AMOUNT: 'dramlink: amount',
      DRAMLINK_CURRENCY: 'dramlink: currency',
      DRAMLINK_PAID_AT: 'dramlink: paid at',
      DRAMLINK_PROVIDER_REF: 'dramlink: provider reference',
      DRAMLINK_LINK: 'dramlink: payment link',
    },
    statuses: {
      awaiting_payment: 'Awaiting payment',
      paid: 'Paid',
      payment_failed: 'Payment failed',
      expired: 'Expired or cancelled',
      manual_review: 'Manual review',
      partial_refund: 'Partial refund',
      full_refund: 'Full refund',
    },
  },
  ru: {
    names: {
      DRAMLINK_STATUS: 'dramlink: статус оплаты',
      DRAMLINK_AMOUNT: 'dramlink: сумма',
      DRAMLINK_CURRENCY: 'dramlink: валюта',
      DRAMLINK_PAID_AT: 'dramlink: дата оплаты',
      DRAMLINK_PROVIDER_REF: 'dramlink: номер операции',
      DRAMLINK_LINK: 'dramlink: ссылка на оплату',
    },
    statuses: {
      awaiting_payment: 'Ожидает оплаты',
      paid: 'Оплачено',
      payment_failed: 'Оплата не прошла',
      expired: 'Истекла или отменена',
      manual_review: 'Нужна проверка',
      partial_refund: 'Частичный возврат',
      full_refund: 'Полный возврат',
    },
  },
  es: {
    names: {
      DRAMLINK_STATUS: 'dramlink: estado del pago',
      DRAMLINK_AMOUNT: 'dramlink: importe',
      DRAMLINK_CURRENCY: 'dramlink: moneda',
      DRAMLINK_PAID_AT: 'dramlink: fecha de pago',
      DRAMLINK_PROVIDER_REF: 'dramlink: referencia del proveedor',
      DRAMLINK_LINK: 'dramlink: enlace de pago',
    },
    statuses: {
      awaiting_payment: 'Pendiente de pago',
      paid: 'Pagado',
      payment_failed: 'Pago fallido',
      expired: 'Vencido o cancelado',
      manual_review: 'Revisión manual',
      partial_refund: 'Reembolso parcial',
      full_refund: 'Reembolso total',
    },
  },
  pt: {
    names: {
      DRAMLINK_STATUS: 'dramlink: status do pagamento',
      DRAMLINK_AMOUNT: 'dramlink: valor',
      DRAMLINK_CURRENCY: 'dramlink: moeda',
      DRAMLINK_PAID_AT: 'dramlink: pago em',
      DRAMLINK_PROVIDER_REF: 'dramlink: referência do provedor',
      DRAMLINK_LINK: 'dramlink: link de pagamento',
    },
    statuses: {
      awaiting_payment: 'Aguardando pagamento',
      paid: 'Pago',
      payment_failed: 'Pagamento falhou',
      expired: 'Expirado ou cancelado',
      manual_review: 'Revisão manual',
      partial_refund: 'Reembolso parcial',
      full_refund: 'Reembolso total',
    },
  },
};

/** The labels of a language (English for anything unknown). */
export function fieldLabels(language: string | undefined): FieldLabels {
  return FIELD_LABELS[language as AccountLanguage] ?? FIELD_LABELS.en;
}
