/**
 * The account a session belongs to, read from its notifyUrl, which the app builds as
 * {PUBLIC_URL}/webhooks/sandbox/:accountId. Undefined for any other shape.
 */
export function accountIdFromNotifyUrl(notifyUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(notifyUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const match = /\/webhooks\/sandbox\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) return undefined;
  const accountId = decodeURIComponent(match[1]);
  return /^[A-Za-z0-9_-]{1,64}$/.test(accountId) ? accountId : undefined;
}
