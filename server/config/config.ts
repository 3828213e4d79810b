import { z } from 'zod';
import { isLoopbackHost, parseAllowedHosts, type AllowedHost } from './allowed-hosts.ts';
import { productionValueProblems } from './production-rules.ts';
import { DEVELOPMENT_NODE_ENVS, runPlanOf, type RunMode } from './run-mode.ts';

/**
 * The environment (the README lists every variable), validated once at start. Every problem is reported, one line each,
 * naming the variable and what it expects; start-server.ts prints them and exits 1.
 */
export interface Config {
  /** Decided by runPlanOf (run-mode.ts), the same function the `npm start` launcher uses. */
  mode: RunMode;
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string;
  /** PostgreSQL connections this instance opens (ignored for SQLite). */
  databasePoolSize: number;
  /** 32 bytes; undefined outside production until start-server.ts generates or loads one from the data folder. */
  secretsKey?: Buffer;
  amocrm: {
    clientId?: string;
    clientSecret?: string;
    redirectUri: string;
    baseUrl?: string;
    rps: number;
    /** AMOCRM_SERVER_RPS: requests per second to amoCRM for the whole server (every account), undefined = no server cap. */
    serverRps?: number;
    batchSize: number;
    /** SYNC_CLAIM_SECONDS in ms: how long a sync job claim holds; a crashed instance's claims are taken over after it. */
    claimMs: number;
    tokenReplay: 'reject' | 'log';
  };
  /** PROVIDER_ALLOWED_HOSTS: hosts a provider baseUrl may name besides the official ones (may be loopback/private, http). */
  providerAllowedHosts: AllowedHost[];
  /** /metrics: a bearer token when set; without one, production refuses it unless `public`. */
  metrics: { token?: string; public: boolean };
  logLevel: string;
  nodeEnv?: string;
  sandboxEnabled: boolean;
  /** Accepted but adjusted settings, logged at start. */
  warnings: string[];
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Hard ceiling from amoCRM: more than 7 requests per second gets accounts blocked. */
export const AMOCRM_MAX_RPS = 7;

const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;

const optionalText = z
  .string()
  .transform((v) => v.trim())
  .pipe(z.string())
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const urlText = (what: string) =>
  z
    .string()
    .refine((v) => /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v), { message: `expects ${what}` })
    .transform((v) => v.replace(/\/+$/, ''));

const intInRange = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d+$/, { message: `expects ${what}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `expects ${what}` });

const envSchema = z.object({
  PORT: intInRange(0, 65535, 'a port number 0-65535').default(3000),
  HOST: z.string().min(1, 'expects a bind address such as 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  PUBLIC_URL: urlText('an absolute http(s) URL such as https://pay.example.am').optional(),
  DATABASE_URL: z
    .string()
    .refine((v) => v === ':memory:' || /^file:.+/.test(v) || /^postgres(ql)?:\/\/.+/i.test(v), {
      message:
        'expects a SQLite file URL such as file:./data/dramlink.db, :memory:, or a PostgreSQL URL such as postgres://user:password@host:5432/dramlink',
    })
    .default('file:./data/dramlink.db'),
  DATABASE_POOL_SIZE: intInRange(1, 200, 'a whole number of PostgreSQL connections per instance, 1-200').default(10),
  SECRETS_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/=_-]+$/.test(v), {
      message: 'expects 32 random bytes in base64 (generate one with: openssl rand -base64 32)',
    })
    .optional(),
  AMOCRM_CLIENT_ID: optionalText,
  AMOCRM_CLIENT_SECRET: optionalText,
  AMOCRM_REDIRECT_URI: urlText('an absolute URL, the redirect URI registered with the integration').optional(),
  AMOCRM_BASE_URL: urlText('an absolute http(s) URL such as http://127.0.0.1:4010 (development and tests only)').optional(),
  AMOCRM_RPS: intInRange(1, 1000, 'a whole number of requests per second (1-7)').default(5),
  AMOCRM_BATCH_SIZE: intInRange(1, 250, 'a whole number of entities per request, 1-250 (amoCRM allows at most 250)').default(50),
  SYNC_CLAIM_SECONDS: intInRange(30, 3600, 'a whole number of seconds, 30-3600 (longer than one amoCRM write batch takes)').default(300),
  AMOCRM_SERVER_RPS: intInRange(1, 1000, 'a whole number of requests per second for the whole server (Kommo limits by IP: 7)').optional(),
  AMOCRM_TOKEN_REPLAY: z.enum(['reject', 'log'], { message: 'expects "reject" or "log"' }).default('log'),
  PROVIDER_ALLOWED_HOSTS: z
    .string()
    .refine((v) => parseAllowedHosts(v).bad.length === 0, {
      message: 'expects comma-separated host[:port] entries such as 127.0.0.1:4010,bank-test.example.am (no scheme, path or user)',
    })
    .optional(),
  METRICS_TOKEN: z
    .string()
    .refine((v) => v.trim().length >= 16 && !/\s/.test(v.trim()), {
      message: 'expects a bearer token of at least 16 characters without spaces (openssl rand -hex 24)',
    })
    .optional(),
  METRICS_PUBLIC: z.enum(['true', 'false'], { message: 'expects true or false' }).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `expects one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  NODE_ENV: optionalText,
  SANDBOX_ENABLED: z.enum(['true', 'false'], { message: 'expects true or false' }).optional(),
});

export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings are treated as unset: `FOO= npm start` should mean "no FOO".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${String(i.path[0] ?? 'environment')}: ${i.message}`);
    // Name the missing settings in the same start too, so one run lists everything to fix.
    const has = (name: string) => Boolean(cleaned[name]?.trim());
    problems.push(...requirementProblems(runPlanOf(cleaned).mode === 'production', has));
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const plan = runPlanOf(cleaned);
  const production = plan.mode === 'production';

  const warnings: string[] = [];
  if (production && e.NODE_ENV !== 'production') {
    warnings.push(`NODE_ENV=${e.NODE_ENV} is neither ${DEVELOPMENT_NODE_ENVS.join(' nor ')}: production rules apply`);
  }
  if (e.AMOCRM_RPS > AMOCRM_MAX_RPS) {
    warnings.push(`AMOCRM_RPS=${e.AMOCRM_RPS} is capped at ${AMOCRM_MAX_RPS}: amoCRM blocks accounts that exceed 7 requests per second`);
  }
  const problems = requirementProblems(production, (name) => e[name as keyof typeof e] !== undefined);
  const secretsKey = e.SECRETS_KEY ? Buffer.from(e.SECRETS_KEY, 'base64') : undefined;
  problems.push(...modeProblems(plan.mode, { ...e, secretsKey }));
  if (problems.length) throw new ConfigError(problems);
  if (production && !e.METRICS_TOKEN && e.METRICS_PUBLIC !== 'true') {
    warnings.push('/metrics is refused: set METRICS_TOKEN (scrape with Authorization: Bearer <token>) or METRICS_PUBLIC=true');
  }

  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    mode: plan.mode,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    secretsKey,
    amocrm: {
      clientId: e.AMOCRM_CLIENT_ID,
      clientSecret: e.AMOCRM_CLIENT_SECRET,
      redirectUri: e.AMOCRM_REDIRECT_URI ?? `${publicUrl}/oauth/callback`,
      baseUrl: e.AMOCRM_BASE_URL,
      rps: Math.min(e.AMOCRM_RPS, AMOCRM_MAX_RPS),
      serverRps: e.AMOCRM_SERVER_RPS,
      batchSize: e.AMOCRM_BATCH_SIZE,
      claimMs: e.SYNC_CLAIM_SECONDS * 1000,
      tokenReplay: e.AMOCRM_TOKEN_REPLAY,
    },
    providerAllowedHosts: parseAllowedHosts(e.PROVIDER_ALLOWED_HOSTS).hosts,
    metrics: { token: e.METRICS_TOKEN?.trim(), public: e.METRICS_PUBLIC === 'true' },
    logLevel: e.LOG_LEVEL,
    nodeEnv: e.NODE_ENV,
    sandboxEnabled: plan.sandboxEnabled,
    warnings,
  };
}

/** Well-formed values the mode still refuses: production's demands, local mode's loopback-only listener. */
function modeProblems(
  mode: RunMode,
  e: { HOST: string; PUBLIC_URL?: string; AMOCRM_CLIENT_SECRET?: string; secretsKey?: Buffer },
): string[] {
  if (mode === 'production') {
    return productionValueProblems({ publicUrl: e.PUBLIC_URL, secretsKey: e.secretsKey, clientSecret: e.AMOCRM_CLIENT_SECRET });
  }
  if (mode === 'local' && !isLoopbackHost(e.HOST)) {
    return [
      'HOST: local mode listens on loopback only (127.0.0.1, ::1 or localhost): its demo integration would let anyone who reaches the port act as an admin. To serve other addresses set AMOCRM_CLIENT_ID and NODE_ENV=production',
    ];
  }
  return [];
}

/** Settings that must be present (or absent) for the mode, given which variables are set. */
function requirementProblems(production: boolean, has: (name: string) => boolean): string[] {
  const problems: string[] = [];
  if (production) {
    if (!has('SECRETS_KEY'))
      problems.push('SECRETS_KEY: required in production; expects 32 random bytes in base64 (openssl rand -base64 32)');
    if (!has('AMOCRM_CLIENT_ID')) problems.push('AMOCRM_CLIENT_ID: required in production; expects the integration id from amoCRM');
    if (!has('AMOCRM_CLIENT_SECRET')) problems.push('AMOCRM_CLIENT_SECRET: required in production; expects the integration secret key');
    if (!has('PUBLIC_URL')) problems.push('PUBLIC_URL: required in production; expects the https URL customers and providers reach');
    if (has('AMOCRM_BASE_URL')) problems.push('AMOCRM_BASE_URL: must not be set in production (it redirects every amoCRM call)');
  } else if (has('AMOCRM_CLIENT_ID') && !has('AMOCRM_CLIENT_SECRET')) {
    problems.push('AMOCRM_CLIENT_SECRET: required when AMOCRM_CLIENT_ID is set; expects the integration secret key');
  }
  return problems;
}

/** The SQLite file path of a `file:` URL, or ':memory:'. */
export function sqlitePath(databaseUrl: string): string {
  return databaseUrl === ':memory:' ? ':memory:' : databaseUrl.replace(/^file:(\/\/)?/, '');
}
