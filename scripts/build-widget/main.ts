import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBuild } from './run.ts';

/** npm run build:widget: writes dist/widget/ and dist/widget.zip for the server at PUBLIC_URL. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

process.exitCode = await runBuild({
  widgetDir: path.join(root, 'widget'),
  outDir: path.join(root, 'dist/widget'),
  zipFile: path.join(root, 'dist/widget.zip'),
  serverUrl: process.env.PUBLIC_URL || `http://localhost:${process.env.PORT || 3000}`,
});
