import { badResponse, createCaller, isObject } from '../api-client.ts';
import type { WidgetHost } from '../amo-host.ts';
import type { DiagnosticCheck, ProbeResult, SettingsBody, SettingsView } from './settings-types.ts';

/** What the settings view calls (admins only; the server enforces it). */
export interface SettingsApi {
  getSettings(): Promise<SettingsView>;
  putSettings(body: SettingsBody): Promise<SettingsView>;
  testProvider(provider: string, body: Record<string, unknown>): Promise<ProbeResult>;
  diagnostics(): Promise<DiagnosticCheck[]>;
}

export function createSettingsApi(host: Pick<WidgetHost, '$authorizedAjax'>, baseUrl: string): SettingsApi {
  const call = createCaller(host, baseUrl);
  const settings = async (p: Promise<unknown>): Promise<SettingsView> => {
    const data = await p;
    if (isObject(data) && isObject(data.providers)) return data as unknown as SettingsView;
    throw badResponse();
  };
  return {
    getSettings: () => settings(call('GET', '/api/v1/settings')),
    putSettings: (body) => settings(call('PUT', '/api/v1/settings', body)),
    async testProvider(provider, body) {
      const data = await call('POST', `/api/v1/settings/providers/${encodeURIComponent(provider)}/test`, body);
      if (isObject(data) && typeof data.ok === 'boolean' && typeof data.code === 'string') return data as unknown as ProbeResult;
      throw badResponse();
    },
    async diagnostics() {
      const data = await call('GET', '/api/v1/diagnostics');
      if (isObject(data) && Array.isArray(data.checks))
        return data.checks.filter((c) => isObject(c) && typeof c.name === 'string') as DiagnosticCheck[];
      throw badResponse();
    },
  };
}
