/**
 * The exits of dramlink's Salesbot designer step (docs/architecture.md, Salesbot), as the bot's
 * next blocks branch on them: `success` (the link is ready: `{{json.payment_url}}`), `paid` (the lead
 * already paid) and `error` (no link: `{{json.error}}` says why). script.js answers them to
 * salesbotDesignerSettings itself, synchronously; the steps that take them live in reach.js.
 */
export const SALESBOT_EXITS = ['success', 'paid', 'error'] as const;
export type SalesbotExit = (typeof SALESBOT_EXITS)[number];
