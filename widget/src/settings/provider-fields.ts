/**
 * What an admin edits per provider: the credentials each provider adapter checks on the server
 * (`server/providers/<name>/`; README, "Setting up providers"). `secret` fields are write-only:
 * the server answers them masked, the form shows only that something is stored, and the field is
 * sent only when the admin types a new value.
 */
export type FieldKind = 'text' | 'secret' | 'int' | 'bool' | 'url' | 'choice';

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  /** Needed before the provider can be enabled. */
  required?: boolean;
  /** For `choice`: the allowed values (labels are setup.choice.<key>.<value>); empty means the server's default. */
  choices?: readonly string[];
}

export const PROVIDER_FIELDS: Record<string, FieldSpec[]> = {
  ameriabank: [
    { key: 'clientId', kind: 'text', required: true },
    { key: 'username', kind: 'text', required: true },
    { key: 'password', kind: 'secret', required: true },
    { key: 'twoStage', kind: 'bool' },
    { key: 'captureMode', kind: 'choice', choices: ['auto', 'manual'] },
    { key: 'testOrderIdFrom', kind: 'int' },
    { key: 'testOrderIdTo', kind: 'int' },
  ],
  arca: [
    { key: 'userName', kind: 'text', required: true },
    { key: 'password', kind: 'secret', required: true },
    { key: 'checksumKey', kind: 'secret' },
    { key: 'twoStage', kind: 'bool' },
    { key: 'captureMode', kind: 'choice', choices: ['auto', 'manual'] },
    { key: 'baseUrl', kind: 'url' },
  ],
  idram: [
    { key: 'recAccount', kind: 'text', required: true },
    { key: 'secretKey', kind: 'secret', required: true },
  ],
  telcell: [
    { key: 'shopId', kind: 'text', required: true },
    { key: 'shopKey', kind: 'secret', required: true },
    { key: 'callbackChecksum', kind: 'choice', choices: ['invoice', 'invoice_buyer'] },
  ],
  sandbox: [{ key: 'webhookSecret', kind: 'secret', required: true }],
};

export const PROVIDER_NAMES = Object.keys(PROVIDER_FIELDS);

/** Where each provider documents its merchant integration (the one-line help links here). */
export const PROVIDER_DOCS: Record<string, string> = {
  ameriabank: 'https://servicestest.ameriabank.am/VPOS/Help',
  arca: 'https://dev.bpcbt.com/en/integration/api/rest.html',
  idram: 'https://www.idram.am/',
  telcell: 'https://www.telcell.am/',
};

/** The server masks secrets as "••••abcd"; such a value must never travel back as if it were the secret. */
export const isMasked = (v: unknown): boolean => typeof v === 'string' && v.startsWith('•');
