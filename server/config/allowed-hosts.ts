import { isIP } from 'node:net';

/**
 * One entry of PROVIDER_ALLOWED_HOSTS: a host the operator lets tenants use as a provider
 * `baseUrl` besides the providers' official hosts. Such a host may be loopback or private and may
 * be reached over plain http (tests, staging, a bank's test port on a private network).
 */
export interface AllowedHost {
  /** Lower-case host name, IPv4 address, or IPv6 address without brackets. */
  host: string;
  /** Only this port when set; any port otherwise. */
  port?: number;
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** `host`, `host:port`, `[v6]` or `[v6]:port`; undefined when the entry is none of these. */
export function parseAllowedHost(entry: string): AllowedHost | undefined {
  const text = entry.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(text);
  const plain = /^([^:[\]/\s@?#]+)(?::(\d{1,5}))?$/.exec(text);
  const match = bracketed ?? plain;
  if (!match) return undefined;
  const host = match[1];
  if (bracketed ? isIP(host) !== 6 : !(isIP(host) === 4 || HOST_NAME.test(host))) return undefined;
  if (match[2] === undefined) return { host };
  const port = Number(match[2]);
  return port >= 1 && port <= 65535 ? { host, port } : undefined;
}

/** The comma-separated list, or the entries it could not read. */
export function parseAllowedHosts(value: string | undefined): { hosts: AllowedHost[]; bad: string[] } {
  const hosts: AllowedHost[] = [];
  const bad: string[] = [];
  for (const entry of (value ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const parsed = parseAllowedHost(entry);
    if (parsed) hosts.push(parsed);
    else bad.push(entry.trim());
  }
  return { hosts, bad };
}

/** Loopback bind addresses: local mode listens on nothing else. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
