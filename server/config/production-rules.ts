/**
 * What production demands of values that are well-formed anyway: an https PUBLIC_URL, a
 * SECRETS_KEY that looks random, an integration secret of real length. One line per problem,
 * naming the variable and what it expects (never the value of a secret).
 */

/** amoCRM and Kommo integration secrets are 64 characters; anything much shorter is a placeholder. */
export const MIN_CLIENT_SECRET_LENGTH = 32;

/**
 * 32 random bytes hold about 30 distinct values; fewer than this many means a typed pattern
 * (all zeros, "aaaa…", a repeated word), not a generated key.
 */
const MIN_DISTINCT_KEY_BYTES = 16;

export interface ProductionValues {
  publicUrl?: string;
  secretsKey?: Buffer;
  clientSecret?: string;
}

export function productionValueProblems(v: ProductionValues): string[] {
  const problems: string[] = [];
  if (v.publicUrl !== undefined && !v.publicUrl.startsWith('https://')) {
    problems.push(
      'PUBLIC_URL: must be an https:// URL in production (customers pay and providers notify through it); terminate TLS at a reverse proxy and give its https address',
    );
  }
  if (v.secretsKey && !looksRandom(v.secretsKey)) {
    problems.push(
      'SECRETS_KEY: does not look random (too few distinct bytes); expects 32 random bytes in base64: generate one with openssl rand -base64 32',
    );
  }
  if (v.clientSecret !== undefined && v.clientSecret.length < MIN_CLIENT_SECRET_LENGTH) {
    problems.push(
      `AMOCRM_CLIENT_SECRET: too short for an integration secret (at least ${MIN_CLIENT_SECRET_LENGTH} characters); expects the secret key amoCRM shows for the integration`,
    );
  }
  return problems;
}

export function looksRandom(key: Buffer): boolean {
  return new Set(key).size >= MIN_DISTINCT_KEY_BYTES;
}
