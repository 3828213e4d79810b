import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** From this module, never from the working directory: `npm start` may run anywhere. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_DIST = path.join(REPO_ROOT, 'dist', 'server');
/** The production server, as `npm run start:prod` and the `npm start` launcher run it. */
export const SERVER_MAIN_JS = path.join(SERVER_DIST, 'main.js');
