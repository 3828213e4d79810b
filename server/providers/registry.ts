import { ameriabankProvider } from './ameriabank/index.ts';
import { arcaProvider } from './arca/index.ts';
import { idramProvider } from './idram/index.ts';
import type { PaymentProvider, ProviderName } from './provider.ts';
import { sandboxProvider } from './sandbox/index.ts';
import { telcellProvider } from './telcell/index.ts';

/** Every provider adapter by its name. Adding a provider is one folder, one line here and one conformance kit. */
export type ProviderRegistry = ReadonlyMap<ProviderName, PaymentProvider<any>>;

export function createProviderRegistry(opts: { sandboxEnabled: boolean }): ProviderRegistry {
  const all: PaymentProvider<any>[] = [ameriabankProvider, arcaProvider, idramProvider, telcellProvider];
  if (opts.sandboxEnabled) all.push(sandboxProvider);
  return new Map(all.map((p) => [p.name, p]));
}
