import { readObservation, type Observation } from '../observations/observation-store.ts';
import { ago, fail, pass, type Check, type CheckContext } from './check.ts';
import { REACH_FACTS, type ReachFact } from './reach-facts.ts';

const TIMES = /At$/;

/** The observation in words: times as "3 hours ago", codes and flags as they are. */
function seen(o: Observation, now: number): string {
  return Object.entries(o)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k} ${TIMES.test(k) && typeof v === 'number' ? ago(now, v) : String(v)}`)
    .join(', ');
}

/** The last answer was an error: newer than the last success, or with no success at all. */
function failing(o: Observation): string | undefined {
  for (const [err, ok, code] of [
    ['lastErrorAt', 'lastOkAt', 'lastErrorCode'],
    ['lastContinueErrorAt', 'lastContinueOkAt', 'lastContinueErrorCode'],
  ] as const) {
    const e = o[err];
    const s = o[ok];
    if (typeof e === 'number' && (typeof s !== 'number' || e > s) && o[code]) return String(o[code]);
  }
  return undefined;
}

async function checkFact(c: CheckContext, fact: ReachFact): Promise<Check> {
  const name = `unverified:${fact.topic}`;
  const o = await c.store.run((tx) => readObservation(tx, c.account.id, fact.topic));
  const what = `assumed: ${fact.assumption}`;
  if (!o) return pass(name, `${what}; not seen in this account yet (unconfirmed)`);
  const detail = `${what}; seen: ${seen(o, c.clock.now())}`;
  const code = failing(o);
  if (code) {
    return fail(
      name,
      detail,
      `amoCRM last answered ${code}: if it does not work as assumed (${fact.source}), correct it in ${fact.where}.`,
    );
  }
  return pass(name, detail);
}

/**
 * One line per thing amoCRM does not document that dramlink's invoices, pipeline action and
 * Salesbot rely on (reach-facts.ts): what is assumed, what this account's traffic showed, and when
 * the last answer was an error, the one file to correct. Reads only the database.
 */
export function checkReachFacts(c: CheckContext): Promise<Check[]> {
  return Promise.all(REACH_FACTS.map((fact) => checkFact(c, fact)));
}
