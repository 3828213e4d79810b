// The resolve hook of record-loads.mjs (runs on Node's loader thread).
import { appendFileSync } from 'node:fs';
import process from 'node:process';

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(process.env.DRAMLINK_LOADS_FILE, `${result.url}\n`);
  return result;
}
