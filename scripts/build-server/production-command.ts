/**
 * Node's flags for the production server, written once here (`npm run start:prod` repeats them and
 * a test keeps the two equal). Source maps: stack traces name server/*.ts lines.
 */
export const PRODUCTION_NODE_FLAGS: readonly string[] = ['--enable-source-maps'];
