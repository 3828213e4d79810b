import { startFailure, startServer } from '../../server/start-server.ts';
import { devWingAddOn } from './dev-wing-add-on.ts';

/**
 * The dev wing's server entry (`npm start` runs it in process when the dev wing is needed): the
 * production app, plus the sandbox gateway when the sandbox provider is enabled, plus in local
 * mode the amoCRM emulator, the playground and the demo account. Runs from source through tsx.
 */
startServer({ addOn: (start) => devWingAddOn(start) }).catch(startFailure);
