import type { z } from 'zod';
import { BASE_URL_NOT_ALLOWED, type Settings } from '../../shared/api.ts';
import { ValidationError } from '../errors/app-error.ts';
import type { ProviderConfig } from '../providers/provider-configs.ts';
import type { ProviderName } from '../providers/provider.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { judgeProviderUrl, type OutboundPolicy } from '../providers/transport/outbound-policy.ts';
import type { AccountSettings } from '../accounts/account-settings.ts';
import type { FieldIssue } from './validate.ts';
import type { Pipeline } from '../amocrm/endpoints/index.ts';
import { isMasked, secretFieldsOf } from './views/settings.ts';

/** One line of the audit entry of a settings change. Secret fields say only that they changed. */
export type SettingsChange =
  { field: string; from: unknown; to: unknown } | { field: string; secret: true; change: 'set' | 'replaced' | 'removed' };

export interface SettingsPlan {
  providers: ProviderConfig[];
  /** The new `accounts.settings` object (keys this API does not manage are kept). */
  account: Record<string, unknown>;
  changes: SettingsChange[];
  stageMappingChanged: boolean;
}

const ACCOUNT_KEYS = [
  'defaultCurrency',
  'linkTtlHours',
  'stageMapping',
  'taskResponsibleUserId',
  'merchantName',
  'language',
  'salesbotId',
] as const;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

type PlanInput = Parameters<typeof planSettingsUpdate>[0];
type SentProvider = NonNullable<NonNullable<Settings['providers']>[ProviderName]>;

/** The credentials to store: a secret omitted or sent masked keeps the stored value; `null` or "" removes it. */
function mergeCredentials(
  sent: Record<string, unknown>,
  stored: ProviderConfig | undefined,
  secrets: Set<string>,
): Record<string, unknown> {
  const credentials: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(sent)) {
    if (secrets.has(key) && (value === undefined || value === null || value === '' || isMasked(value))) continue;
    credentials[key] = value;
  }
  for (const key of secrets) {
    const value = sent[key];
    const keep = value === undefined || isMasked(value);
    if (keep && stored?.credentials[key] !== undefined) credentials[key] = stored.credentials[key];
  }
  return credentials;
}

function credentialIssues(error: z.ZodError, field: string, name: string): FieldIssue[] {
  return error.issues.flatMap((issue) =>
    (issue.code === 'unrecognized_keys' ? issue.keys : [undefined]).map((key) => {
      const path = [field, ...issue.path.map(String), ...(key ? [key] : [])].join('.');
      return issue.code === 'unrecognized_keys'
        ? { field: path, code: 'unknown_field', message: `"${path}" is not a ${name} setting` }
        : { field: path, code: issue.code, message: `${path}: ${issue.message}` };
    }),
  );
}

/** What changed for one provider, secrets named but never shown. */
function providerChanges(field: string, stored: ProviderConfig | undefined, next: ProviderConfig, secrets: Set<string>): SettingsChange[] {
  const changes: SettingsChange[] = [];
  if (!same(stored?.enabled, next.enabled)) changes.push({ field: `${field}.enabled`, from: stored?.enabled ?? null, to: next.enabled });
  if (!same(stored?.mode, next.mode)) changes.push({ field: `${field}.mode`, from: stored?.mode ?? null, to: next.mode });
  if (!same(stored?.baseUrl, next.baseUrl))
    changes.push({ field: `${field}.baseUrl`, from: stored?.baseUrl ?? null, to: next.baseUrl ?? null });
  const keys = new Set([...Object.keys(stored?.credentials ?? {}), ...Object.keys(next.credentials)]);
  for (const key of [...keys].sort()) {
    const before = stored?.credentials[key];
    const after = next.credentials[key];
    if (same(before, after)) continue;
    if (!secrets.has(key)) changes.push({ field: `${field}.${key}`, from: before ?? null, to: after ?? null });
    else
      changes.push({
        field: `${field}.${key}`,
        secret: true,
        change: before === undefined ? 'set' : after === undefined ? 'removed' : 'replaced',
      });
  }
  return changes;
}

/** BASE_URL_NOT_ALLOWED when the outbound policy would never call this baseUrl (transport/outbound-policy.ts). */
export function baseUrlIssues(outbound: OutboundPolicy, provider: ProviderName, field: string, baseUrl: string | undefined): FieldIssue[] {
  if (baseUrl === undefined) return [];
  const verdict = judgeProviderUrl(outbound, provider, baseUrl, { baseUrl: true });
  if (verdict.allowed) return [];
  return [{ field: `${field}.baseUrl`, code: BASE_URL_NOT_ALLOWED, message: `${field}.baseUrl ${verdict.reason}` }];
}

/** One provider as sent: its config, or the issues that refuse it. */
function planProvider(
  input: PlanInput,
  name: string,
  sent: SentProvider,
): { config?: ProviderConfig; issues: FieldIssue[]; changes: SettingsChange[] } {
  const field = `providers.${name}`;
  const adapter = input.registry.get(name as ProviderName);
  if (!adapter) {
    return {
      issues: [{ field, code: 'provider_unavailable', message: `${field}: the ${name} provider is not available on this server` }],
      changes: [],
    };
  }
  const issues: FieldIssue[] = [];
  const stored = input.storedConfigs.find((c) => c.provider === name);
  const { enabled, mode, baseUrl, ...sentCredentials } = sent;
  issues.push(...baseUrlIssues(input.outbound, name as ProviderName, field, baseUrl));
  const secrets = new Set(secretFieldsOf(input.registry, name));
  const parsed = adapter.credentialsSchema.safeParse(mergeCredentials(sentCredentials, stored, secrets));
  if (!parsed.success) return { issues: [...issues, ...credentialIssues(parsed.error, field, name)], changes: [] };
  const config: ProviderConfig = {
    provider: name as ProviderName,
    enabled,
    mode,
    baseUrl,
    credentials: parsed.data as Record<string, unknown>,
  };
  return { config, issues, changes: providerChanges(field, stored, config, secrets) };
}

/** The account fields are replaced as sent (an optional one absent is removed); unknown stored keys are kept. */
function planAccountFields(input: PlanInput): { account: Record<string, unknown>; changes: SettingsChange[] } {
  const account: Record<string, unknown> = { ...input.storedAccount };
  const changes: SettingsChange[] = [];
  for (const key of ACCOUNT_KEYS) {
    const before = input.currentAccount[key];
    const after = input.body[key];
    if (after === undefined) delete account[key];
    else account[key] = after;
    if (!same(before, after)) changes.push({ field: key, from: before ?? null, to: after ?? null });
  }
  return { account, changes };
}

/**
 * What a PUT of Settings changes, validated before anything is written:
 * - each provider sent is checked by its own credentials schema (required fields, formats, no
 *   unknown field); a secret omitted, sent masked (`••••…`), keeps the stored value; `null` or ""
 *   removes it;
 * - providers not sent are left as they are (send `enabled: false` to switch one off);
 * - the account fields are replaced as sent (an optional one absent is removed).
 */
export function planSettingsUpdate(input: {
  registry: ProviderRegistry;
  /** Where provider calls may go: a baseUrl outside it is refused here, not at the bank. */
  outbound: OutboundPolicy;
  /** `accounts.settings` as stored (unknown keys are kept as they are). */
  storedAccount: Record<string, unknown>;
  /** The same, parsed with defaults: what the account uses today. */
  currentAccount: AccountSettings;
  storedConfigs: readonly ProviderConfig[];
  body: Settings;
}): SettingsPlan {
  const issues: FieldIssue[] = [];
  const changes: SettingsChange[] = [];
  const providers: ProviderConfig[] = [];
  for (const [name, sent] of Object.entries(input.body.providers ?? {})) {
    if (!sent) continue;
    const planned = planProvider(input, name, sent);
    issues.push(...planned.issues);
    changes.push(...planned.changes);
    if (planned.config && planned.issues.length === 0) providers.push(planned.config);
  }
  if (issues.length) {
    throw new ValidationError('invalid_provider_credentials', issues.map((i) => i.message).join('; '), { fields: issues });
  }
  const { account, changes: accountChanges } = planAccountFields(input);
  return {
    providers,
    account,
    changes: [...changes, ...accountChanges],
    stageMappingChanged: !same(input.currentAccount.stageMapping, input.body.stageMapping),
  };
}

/** Every mapped stage must be a status of a pipeline of the account. */
export function checkStageMapping(mapping: Settings['stageMapping'], pipelines: readonly Pipeline[]): void {
  const issues: FieldIssue[] = [];
  for (const [crmStatus, target] of Object.entries(mapping ?? {})) {
    if (!target) continue;
    const field = `stageMapping.${crmStatus}`;
    const pipeline = pipelines.find((p) => p.id === target.pipelineId);
    if (!pipeline) {
      issues.push({
        field: `${field}.pipelineId`,
        code: 'unknown_pipeline',
        message: `${field}: pipeline ${target.pipelineId} does not exist in this account`,
      });
    } else if (!pipeline.statuses.some((s) => s.id === target.statusId)) {
      issues.push({
        field: `${field}.statusId`,
        code: 'unknown_status',
        message: `${field}: status ${target.statusId} is not a stage of pipeline "${pipeline.name}" (${pipeline.id})`,
      });
    }
  }
  if (issues.length) throw new ValidationError('invalid_stage_mapping', issues.map((i) => i.message).join('; '), { fields: issues });
}
