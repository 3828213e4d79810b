import type { Currency } from '../../shared/money.ts';
import { AUTOMATION_SETTING_KEYS, automationParams } from '../lead-links/automation-settings.ts';
import type { LinkParams } from '../lead-links/link-params.ts';

/**
 * The quick settings of dramlink's Digital Pipeline action (the manifest's `dp.settings`, filled by
 * the widget's dpSettings view), as amoCRM sends them back in `action.settings.widget.settings`:
 * the hidden hook key, then the settings every automation shares (server/lead-links/automation-settings.ts).
 */
export const DP_SETTING_KEYS = { key: 'dramlink_key', ...AUTOMATION_SETTING_KEYS } as const;

/** What the trigger asks for, as a link request's params; an unusable value makes the request fail with `invalid_params`. */
export function triggerParams(settings: Record<string, unknown>, currency: Currency): LinkParams | { invalid: string } {
  return automationParams(settings, currency, 'pipeline');
}
