import type { Check } from './check.ts';

/**
 * doctor's output: one line per check, PASS or FAIL, its name and what was found; under a failure
 * what to do; then a summary line. Plain text, no colour (it may be piped to a file or a ticket).
 */
export function doctorReport(where: string, checks: readonly Check[]): string[] {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = [`dramlink doctor: ${where}`, ''];
  for (const c of checks) {
    lines.push(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.detail}`);
    if (!c.ok && c.fix) lines.push(`      ${' '.repeat(width)}  → ${c.fix}`);
  }
  const failed = checks.filter((c) => !c.ok).length;
  lines.push('', failed === 0 ? `all ${checks.length} checks passed` : `${failed} of ${checks.length} checks failed`);
  return lines;
}
