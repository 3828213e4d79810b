import { ProviderError, ProviderUnsupportedError } from './errors.ts';
import type { PaymentProvider, ProviderCapabilities, ProviderRole } from './provider.ts';

/** A provider as its folder writes it: the optional roles only when its caps declare them. */
export type ProviderDefinition<Creds> = Omit<PaymentProvider<Creds>, ProviderRole> &
  Partial<Pick<PaymentProvider<Creds>, ProviderRole>> & {
    /** For each role the caps declare absent: what to do instead, said by ProviderUnsupportedError. */
    instead?: Partial<Record<ProviderRole, string>>;
  };

const ROLES: readonly ProviderRole[] = ['queryStatus', 'refund', 'cancel'];

function declares(caps: ProviderCapabilities, role: ProviderRole): boolean {
  if (role === 'queryStatus') return caps.statusQuery;
  if (role === 'refund') return caps.refund !== 'none';
  return caps.cancel;
}

/**
 * The caps are the one place a provider says what it can do: a role declared absent is answered
 * by ProviderUnsupportedError before any request, and a currency outside caps.currencies is
 * refused before createSession runs. Caps and implementations that disagree fail at load time.
 */
export function defineProvider<Creds>(def: ProviderDefinition<Creds>): PaymentProvider<Creds> {
  const { instead, ...provider } = def;
  for (const role of ROLES) {
    const declared = declares(def.caps, role);
    if (declared !== (def[role] !== undefined)) {
      throw new Error(`${def.name}: caps ${declared ? 'declare' : 'deny'} ${role} but the definition ${declared ? 'lacks' : 'has'} it`);
    }
    if (!declared && !instead?.[role]) throw new Error(`${def.name}: ${role} is absent, say what to do instead`);
  }
  const unsupported = (role: ProviderRole) => async (): Promise<never> => {
    throw new ProviderUnsupportedError(def.name, role, instead?.[role] ?? '');
  };
  return {
    ...provider,
    createSession: async (ctx, input) => {
      const { currency } = input.attempt;
      if (!def.caps.currencies.includes(currency)) {
        throw new ProviderError(
          def.name,
          `${def.name}_currency_not_supported`,
          `takes only ${def.caps.currencies.join(', ')}; this payment is in ${currency}: create it in one of those or choose another provider.`,
        );
      }
      return def.createSession(ctx, input);
    },
    queryStatus: def.queryStatus ?? unsupported('queryStatus'),
    refund: def.refund ?? unsupported('refund'),
    cancel: def.cancel ?? unsupported('cancel'),
  };
}
