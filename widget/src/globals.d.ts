/** Replaced at build time by webpack's DefinePlugin with the PUBLIC_URL the archive was built for. */
declare const __DRAMLINK_SERVER_URL__: string | undefined;
