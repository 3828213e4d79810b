import { expect } from 'chai';
import { cruise, type ICruiseResult, type IFlattenedRuleSet } from 'dependency-cruiser';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the walk starts; anything they import is followed (test/ included, were it imported). */
const ROOTS = ['server', 'shared', 'widget/src', 'scripts'];

/**
 * The two rules of the layout. Type-only imports count (tsPreCompilationDeps): a cycle through a
 * type is still a cycle for the reader, and a type import from the dev wing still ties production
 * to it.
 */
const RULES: IFlattenedRuleSet = {
  forbidden: [
    {
      name: 'production-reaches-dev-wing',
      severity: 'error',
      from: { path: '^(server|shared)/' },
      to: { path: '^(scripts|test)/', reachable: true },
    },
    {
      name: 'import-cycle',
      severity: 'error',
      from: { path: '^(server|shared|widget/src|scripts)/' },
      to: { circular: true },
    },
  ],
};

interface Violation {
  rule: string;
  from: string;
  to: string;
  /** For a cycle, every module in it; for reachability, the path from `from` to `to`. */
  via: string[];
}

/** Walks the real import graph under `baseDir` with dependency-cruiser and returns what breaks RULES. */
async function importGraphViolations(baseDir: string, roots = ROOTS): Promise<Violation[]> {
  const { output } = await cruise(roots, {
    baseDir,
    validate: true,
    ruleSet: RULES,
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '^dist/'] },
  });
  const result = output as ICruiseResult;
  return result.summary.violations.map((v) => ({
    rule: v.rule.name,
    from: v.from,
    to: v.to,
    via: (v.cycle ?? v.via ?? []).map((step) => (typeof step === 'string' ? step : step.name)),
  }));
}

const describeViolations = (violations: Violation[]) =>
  violations.map((v) => `${v.rule}: ${v.from} → ${v.to}${v.via.length ? ` (via ${v.via.join(' → ')})` : ''}`).join('\n');

describe('architecture: the import graph', function () {
  this.timeout(60_000);

  it('server/ and shared/ never reach scripts/ or test/, and nothing in server, shared, widget/src or scripts imports in a circle', async () => {
    const violations = await importGraphViolations(ROOT);
    expect(violations, describeViolations(violations)).to.deep.equal([]);
  });

  describe('catches what it guards against (a planted tree)', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'dramlink-import-graph-'));
      const files: Record<string, string> = {
        // Production reaching the dev wing through one innocent-looking module.
        'server/main.ts': "import { start } from './start.ts';\nstart();\n",
        'server/start.ts': "import { emulator } from '../scripts/emulator/index.ts';\nexport const start = () => emulator;\n",
        'scripts/emulator/index.ts': "import { faults } from './faults.ts';\nexport const emulator = faults;\n",
        // A cycle through a type-only import, like the ones this test was written after.
        'scripts/emulator/faults.ts': "import type { Send } from './send.ts';\nexport const faults = 1 as unknown as Send;\n",
        'scripts/emulator/send.ts': "import { faults } from './faults.ts';\nexport type Send = typeof faults;\n",
        'shared/money.ts': 'export const money = 1;\n',
        'widget/src/main.ts': "import { money } from '../../shared/money.ts';\nexport default money;\n",
      };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reports production reaching scripts/ transitively, naming the path, and the type-only cycle', async () => {
      const violations = await importGraphViolations(dir);
      const reach = violations.filter((v) => v.rule === 'production-reaches-dev-wing');
      expect(reach.map((v) => `${v.from} → ${v.to}`)).to.include.members([
        'server/main.ts → scripts/emulator/index.ts',
        'server/start.ts → scripts/emulator/index.ts',
      ]);
      expect(reach.find((v) => v.from === 'server/main.ts' && v.to === 'scripts/emulator/index.ts')?.via).to.include('server/start.ts');
      const cycles = violations.filter((v) => v.rule === 'import-cycle');
      expect(cycles.map((v) => [v.from, v.to].sort().join(' ↔ '))).to.include('scripts/emulator/faults.ts ↔ scripts/emulator/send.ts');
      expect(
        violations.filter((v) => v.from.startsWith('shared/') || v.from.startsWith('widget/')),
        'clean modules stay clean',
      ).to.deep.equal([]);
    });
  });
});
