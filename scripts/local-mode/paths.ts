import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where local mode finds the repository's files: from this module, never from the working
 * directory, so `npm start` (and the browser test) can run anywhere and still reuse the one build.
 */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WIDGET_SRC_DIR = path.join(REPO_ROOT, 'widget');
export const DIST_DIR = path.join(REPO_ROOT, 'dist');
export const DIST_WIDGET_DIR = path.join(DIST_DIR, 'widget');
export const PLAYGROUND_DIR = path.join(REPO_ROOT, 'scripts', 'playground');
export const NODE_MODULES = path.join(REPO_ROOT, 'node_modules');
