/**
 * Where a bot's answer may go (docs/architecture.md, Salesbot): the `return_url` of a widget_request
 * is a URL a stranger could choose, so the answer is sent only when it is exactly the continue
 * endpoint (`/api/v4/salesbot|marketingbot/{bot}/continue/{id}`) on the account's own amoCRM host
 * (`https://{subdomain}.{domain}`, or AMOCRM_BASE_URL in development). No query, fragment, user name
 * or port of its own. What is kept is the path: the call itself goes through the account's amoCRM
 * client, to its base URL, so it cannot reach any other host.
 */
const CONTINUE_PATH = /^\/api\/v4\/(salesbot|marketingbot)\/\d{1,15}\/continue\/\d{1,20}$/;

export function continuePathOf(returnUrl: unknown, accountBaseUrl: string): string | undefined {
  if (typeof returnUrl !== 'string' || returnUrl.length > 500) return undefined;
  let url: URL;
  let base: URL;
  try {
    url = new URL(returnUrl);
    base = new URL(accountBaseUrl);
  } catch {
    return undefined;
  }
  if (url.origin !== base.origin || url.username || url.password || url.search || url.hash) return undefined;
  return CONTINUE_PATH.test(url.pathname) ? url.pathname : undefined;
}
