import { productionEntryRefusal } from './config/production-entry.ts';
import { startFailure, startServer } from './start-server.ts';

/**
 * The production entry: `node --enable-source-maps dist/server/main.js` once `npm run build` has
 * compiled it. The product alone: local mode and the sandbox start from the dev wing
 * (scripts/local-mode/main.ts, through `npm start`).
 */
startServer({ refuse: productionEntryRefusal }).catch(startFailure);
