/**
 * The settings JSON as the widget sees it (`/api/v1/settings` in openapi.yaml). Kept loose on
 * purpose: the GET answer carries masked secrets and optional extras, and the PUT body must echo
 * back only what the admin can edit, so neither is exactly shared/api.ts `Settings`.
 */
export type { AccountState } from '../../../shared/api.ts';
import type { AccountState } from '../../../shared/api.ts';

export interface PipelineView {
  id: number;
  name: string;
  statuses: { id: number; name: string }[];
}

export interface ProviderSettingsView {
  enabled?: boolean;
  mode?: 'test' | 'live';
  [field: string]: unknown;
}

export interface StageTarget {
  pipelineId: number;
  statusId: number;
}

/** What the admin must give each provider (GET /settings `providerUrls`, read-only). */
export type ProviderUrls = Record<string, Partial<Record<'notifyUrl' | 'successUrl' | 'failUrl' | 'returnUrl', string>> | undefined>;

export interface SettingsView {
  providers: Record<string, ProviderSettingsView | undefined>;
  defaultCurrency?: string;
  linkTtlHours?: number;
  stageMapping?: Record<string, StageTarget | undefined>;
  taskResponsibleUserId?: number;
  merchantName?: string;
  /** The language dramlink writes into amoCRM in; absent: detected from amoCRM. */
  language?: string;
  /** The Salesbot that "Send" on the card starts for the lead; absent: only the ready message. */
  salesbotId?: number;
  providerUrls?: ProviderUrls;
  /** Read when present: the account's pipelines, so stages can be picked by name rather than typed as ids. */
  pipelines?: PipelineView[];
  /** Read when present: shown as the connection state. */
  accountState?: AccountState;
  /** Read when present: false renders the form read-only. */
  isAdmin?: boolean;
}

export interface SettingsBody {
  providers: Record<string, Record<string, unknown>>;
  defaultCurrency: string;
  linkTtlHours: number;
  stageMapping?: Record<string, StageTarget>;
  taskResponsibleUserId?: number;
  merchantName?: string;
  language?: string;
  salesbotId?: number;
}

/** POST /settings/providers/:provider/test: a harmless call proving the credentials. */
export interface ProbeResult {
  ok: boolean;
  code: string;
  message: string;
}

/** GET /diagnostics: what `npm run doctor` checks. */
export interface DiagnosticCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}
