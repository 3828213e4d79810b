import type { AccountState, EmulatorState } from './state.ts';
import type { BillStatus, EmuCatalog, EmuCatalogElement, EmuField, EmuFieldValue, FieldType, InvoiceInput } from './types.ts';

/** The default statuses ("Создан" and "Оплачен" are system statuses that cannot be deleted). */
const STATUSES: Array<{ value: string; code: BillStatus }> = [
  { value: 'Создан', code: 'created' },
  { value: 'Оплачен', code: 'paid' },
  { value: 'Оплачен в аванс', code: 'paid_in_advance' },
  { value: 'Частично оплачен', code: 'partially_paid' },
];

const SYSTEM_FIELDS: Array<{ code: string; name: string; type: FieldType }> = [
  { code: 'BILL_STATUS', name: 'Статус', type: 'select' },
  { code: 'PAYER', name: 'Плательщик', type: 'payer' },
  { code: 'SUPPLIER', name: 'Поставщик', type: 'supplier' },
  { code: 'ITEMS', name: 'Позиции счета', type: 'items' },
  { code: 'BILL_PRICE', name: 'Итоговая сумма к оплате', type: 'numeric' },
  { code: 'BILL_PAYMENT_DATE', name: 'Дата оплаты', type: 'date' },
  { code: 'BILL_COMMENT', name: 'Комментарий', type: 'textarea' },
];

interface Book {
  catalog: EmuCatalog;
  fields: EmuField[];
  elements: Map<number, EmuCatalogElement>;
}

export class InvoiceBook {
  private readonly books = new Map<number, Book>();

  constructor(private readonly state: EmulatorState) {}

  /** Turns the invoices list on (Settings → General in amoCRM), with its system fields. Idempotent. */
  enable(acc: AccountState, opts: { catalogId?: number } = {}): EmuCatalog {
    const existing = this.books.get(acc.account.id);
    if (existing) return existing.catalog;
    const ids = this.state.ids;
    const t = this.state.nowSec();
    const catalog: EmuCatalog = {
      id: opts.catalogId !== undefined ? ids.claim('catalog', opts.catalogId) : ids.take('catalog'),
      name: 'Счета/покупки',
      type: 'invoices',
      sort: 10,
      account_id: acc.account.id,
      can_add_elements: true,
      can_show_in_cards: true,
      can_link_multiple: false,
      can_be_deleted: false,
      sdk_widget_code: null,
      created_at: t,
      updated_at: t,
    };
    const fields = SYSTEM_FIELDS.map((f, i): EmuField => ({
      id: ids.take('field'),
      name: f.name,
      type: f.type,
      account_id: acc.account.id,
      code: f.code,
      sort: (i + 1) * 10,
      is_api_only: false,
      enums:
        f.type === 'select' ? STATUSES.map((s, j) => ({ id: ids.take('enum'), value: s.value, sort: (j + 1) * 10, code: s.code })) : null,
      group_id: null,
      required_statuses: [],
      is_deletable: false,
      is_predefined: true,
      entity_type: 'catalogs',
    }));
    this.books.set(acc.account.id, { catalog, fields, elements: new Map() });
    return catalog;
  }

  book(accountId: number): Book | undefined {
    return this.books.get(accountId);
  }

  /** The account's catalogs (only the invoices list is emulated). */
  catalogs(accountId: number): EmuCatalog[] {
    const b = this.books.get(accountId);
    return b ? [b.catalog] : [];
  }

  fields(accountId: number): EmuField[] {
    return this.books.get(accountId)?.fields ?? [];
  }

  addInvoice(acc: AccountState, input: InvoiceInput, byUserId: number): EmuCatalogElement {
    const b = this.books.get(acc.account.id);
    if (!b) throw new Error(`amocrm-emulator: account ${acc.account.id} has no invoices list (enableInvoices first)`);
    if (input.leadId !== undefined && !acc.leads.has(input.leadId)) {
      throw new Error(`amocrm-emulator: no lead ${input.leadId} in account ${acc.account.id}`);
    }
    const ids = this.state.ids;
    const id = input.id !== undefined ? ids.claim('element', input.id) : ids.take('element');
    const t = this.state.nowSec();
    const items = (input.items ?? []).map((i) => ({ ...i, total_sum: i.total_sum ?? i.unit_price * i.quantity }));
    const sum = items.reduce((s, i) => s + i.total_sum, 0);
    const price = input.price === undefined ? (items.length ? sum : null) : input.price;
    const element: EmuCatalogElement = {
      id,
      name: input.name ?? `Счёт #${id}`,
      catalog_id: b.catalog.id,
      account_id: acc.account.id,
      created_by: byUserId,
      updated_by: byUserId,
      created_at: t,
      updated_at: t,
      is_deleted: false,
      custom_fields_values: null,
      lead_ids: input.leadId !== undefined ? [input.leadId] : [],
    };
    const values: EmuFieldValue[] = [this.value(b, 'BILL_STATUS', [this.statusValue(b, input.status ?? 'created')])];
    if (items.length) {
      values.push(
        this.value(
          b,
          'ITEMS',
          items.map((i) => ({
            value: {
              sku: '',
              product_id: null,
              description: i.description,
              unit_price: i.unit_price,
              unit_type: 'шт.',
              quantity: i.quantity,
              discount: { type: 'amount', value: 0 },
              vat_rate_id: 0,
              vat_rate_value: 0,
              external_uid: '',
              is_discount_recalculated: false,
              is_total_sum_recalculated: false,
              total_sum: i.total_sum,
            },
          })),
        ),
      );
    }
    if (price !== null) values.push(this.value(b, 'BILL_PRICE', [{ value: price }]));
    element.custom_fields_values = values;
    b.elements.set(id, element);
    return element;
  }

  /** Deleted in the interface: gone from the API (a read answers 404). */
  deleteInvoice(accountId: number, id: number): boolean {
    return this.books.get(accountId)?.elements.delete(id) ?? false;
  }

  element(accountId: number, catalogId: number, id: number): EmuCatalogElement | undefined {
    const b = this.books.get(accountId);
    if (!b || b.catalog.id !== catalogId) return undefined;
    return b.elements.get(id);
  }

  /** An invoice by id alone (the programmatic API). */
  invoice(accountId: number, id: number): EmuCatalogElement | undefined {
    return this.books.get(accountId)?.elements.get(id);
  }

  invoicesOfLead(accountId: number, leadId: number): EmuCatalogElement[] {
    const b = this.books.get(accountId);
    return b ? [...b.elements.values()].filter((e) => e.lead_ids.includes(leadId)) : [];
  }

  /** The first value of one of the element's fields, by code: for a select, its enum code. */
  fieldValue(element: EmuCatalogElement, code: string): unknown {
    const v = element.custom_fields_values?.find((f) => f.field_code === code)?.values[0];
    if (!v) return undefined;
    return code === 'BILL_STATUS' ? v.enum_code : v.value;
  }

  private field(b: Book, code: string): EmuField {
    return b.fields.find((f) => f.code === code)!;
  }

  private statusValue(b: Book, code: BillStatus) {
    const option = this.field(b, 'BILL_STATUS').enums!.find((e) => e.code === code)!;
    return { value: option.value, enum_id: option.id, enum_code: option.code };
  }

  private value(b: Book, code: string, values: EmuFieldValue['values']): EmuFieldValue {
    const f = this.field(b, code);
    return { field_id: f.id, field_name: f.name, field_code: f.code, field_type: f.type, values };
  }
}
