/**
 * What `npm run build:widget` builds for, from its arguments and the environment, checked before
 * anything is built. A production archive needs an https:// PUBLIC_URL (amoCRM pages are https and
 * browsers refuse to call plain http from them) and real support contacts, which amoCRM shows to
 * admins (WIDGET_SUPPORT_URL, WIDGET_SUPPORT_EMAIL): placeholders and loopback addresses are
 * refused. `--local` builds for the playground of local mode (http://localhost:$PORT).
 */
export interface BuildTarget {
  serverUrl: string;
  /** Written into manifest.json's widget.support; absent in a local build without them (the manifest's own stay). */
  support?: { link: string; email: string };
  local: boolean;
  /** WIDGET_CODE: the integration's widget code in amoCRM, for the Salesbot step's logo path (optional). */
  widgetCode?: string;
}

export const USAGE = `usage: npm run build:widget                 (PUBLIC_URL=https://… WIDGET_SUPPORT_URL=https://… WIDGET_SUPPORT_EMAIL=…)
       npm run build:widget -- --local      (for the local playground: http://localhost:$PORT)`;

const PLACEHOLDER_HOST = /(^|\.)(example\.(com|org|net)|example|test|invalid|localhost)$/i;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/i;

/** An https:// URL on a real host, or the reason it is not one. */
function httpsProblem(name: string, value: string | undefined): string | undefined {
  if (!value) return `${name} is not set: give the https:// address (e.g. https://pay.your-company.am)`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${name} "${value}" is not an absolute URL: write it with its scheme, e.g. https://${value.replace(/^\/+/, '')}`;
  }
  if (url.protocol !== 'https:')
    return `${name} "${value}" must start with https:// (amoCRM pages are https; browsers block calls to http)`;
  if (LOOPBACK.test(url.hostname))
    return `${name} "${value}" is a loopback address that no amoCRM user can reach; use --local for the playground`;
  if (PLACEHOLDER_HOST.test(url.hostname)) return `${name} "${value}" is a placeholder host; give your own address`;
  return undefined;
}

function emailProblem(value: string | undefined): string | undefined {
  if (!value) return 'WIDGET_SUPPORT_EMAIL is not set: the e-mail amoCRM shows admins for support';
  const domain = /^[^\s@]+@([^\s@]+\.[^\s@]+)$/.exec(value)?.[1];
  if (!domain) return `WIDGET_SUPPORT_EMAIL "${value}" is not an e-mail address`;
  if (PLACEHOLDER_HOST.test(domain)) return `WIDGET_SUPPORT_EMAIL "${value}" is a placeholder; give a mailbox someone reads`;
  return undefined;
}

/** amoCRM's widget codes are letters, digits and underscores. */
const WIDGET_CODE = /^[A-Za-z0-9_]{1,64}$/;

export function resolveBuildTarget(argv: readonly string[], env: Record<string, string | undefined>): BuildTarget | { problems: string[] } {
  const unknown = argv.filter((a) => a !== '--local');
  if (unknown.length) return { problems: [`unknown argument ${unknown.join(' ')}`, USAGE] };
  const code = env.WIDGET_CODE?.trim();
  if (code && !WIDGET_CODE.test(code))
    return { problems: [`WIDGET_CODE "${code}" is not a widget code (letters, digits and _ as amoCRM shows it for the integration)`] };
  const target = resolveServerTarget(argv, env);
  return 'problems' in target || !code ? target : { ...target, widgetCode: code };
}

function resolveServerTarget(argv: readonly string[], env: Record<string, string | undefined>): BuildTarget | { problems: string[] } {
  const link = env.WIDGET_SUPPORT_URL?.trim();
  const email = env.WIDGET_SUPPORT_EMAIL?.trim();
  if (argv.includes('--local')) {
    // Support contacts are optional here, but still checked when given.
    const problems = [link ? httpsProblem('WIDGET_SUPPORT_URL', link) : undefined, email ? emailProblem(email) : undefined].filter(
      (p): p is string => p !== undefined,
    );
    if (problems.length) return { problems };
    return { serverUrl: `http://localhost:${env.PORT || 3000}`, local: true, ...(link && email ? { support: { link, email } } : {}) };
  }
  const serverUrl = env.PUBLIC_URL?.trim().replace(/\/+$/, '');
  const problems = [httpsProblem('PUBLIC_URL', serverUrl), httpsProblem('WIDGET_SUPPORT_URL', link), emailProblem(email)].filter(
    (p): p is string => p !== undefined,
  );
  if (problems.length) return { problems };
  return { serverUrl: serverUrl!, local: false, support: { link: link!, email: email! } };
}
