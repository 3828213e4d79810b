export { idramProvider } from './provider.ts';
export { idramCredentialsSchema, type IdramCredentials } from './credentials.ts';
export { idramChecksum, isValidIdramChecksum, type IdramConfirmationFields } from './checksum.ts';
