export { createSandboxGateway, type SandboxGateway, type SandboxGatewayOptions } from './create-gateway.ts';
export {
  InMemorySandboxSessionStore,
  type SandboxRefund,
  type SandboxSession,
  type SandboxSessionStore,
  type StoredSessionStatus,
} from './session-store.ts';
export type { SecretLookup } from './api-auth.ts';
export type { GatewayLogger } from './webhook-sender.ts';
export { accountIdFromNotifyUrl } from './notify-url.ts';
export { sandboxGatewayExtension } from './app-extension.ts';
