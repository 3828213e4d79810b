// Plain JavaScript on purpose: loaded with `node --import` into the production build, where no tsx
// runs. Records every module the process loads into DRAMLINK_LOADS_FILE: ESM through a resolve hook
// (which sees the bundle's imports of packages), CommonJS from require.cache when the process exits.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import process from 'node:process';

const file = process.env.DRAMLINK_LOADS_FILE;
if (file) {
  register('./record-loads-hooks.mjs', import.meta.url);
  const require = createRequire(import.meta.url);
  process.on('exit', () => appendFileSync(file, `${Object.keys(require.cache).join('\n')}\n`));
}
