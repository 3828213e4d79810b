import { describe, fail, pass, type Check, type CheckContext } from './check.ts';

const FIX =
  'An amoCRM account administrator installs dramlink again: the install creates the lead fields, and the user lookups (names, admin checks) need an admin token.';

/**
 * The user whose token dramlink uses (the installer) is an account admin, as amoCRM says.
 * `isAdmin` is undefined when amoCRM could not say.
 */
export async function checkInstallerRights(c: CheckContext): Promise<{ check: Check; isAdmin?: boolean }> {
  const userId = c.account.installedBy;
  if (userId === null)
    return { check: fail('installer_rights', 'the installing user is not known (installed before this was recorded)', FIX) };
  if ('unavailable' in c.amocrm) {
    return { check: fail('installer_rights', `not checked: ${c.amocrm.unavailable}`, 'Run doctor again once amoCRM can be called.') };
  }
  try {
    const user = await c.amocrm.users.rights(userId);
    if (!user)
      return {
        check: fail('installer_rights', `user ${userId} who installed dramlink no longer exists in the account`, FIX),
        isAdmin: false,
      };
    const who = `user ${userId}${user.name ? ` (${user.name})` : ''} who installed dramlink`;
    if (user.isAdmin) return { check: pass('installer_rights', `${who} is an account admin`), isAdmin: true };
    return { check: fail('installer_rights', `${who} is not an account admin`, FIX), isAdmin: false };
  } catch (err) {
    const refused = (err as { code?: string }).code === 'amocrm_forbidden';
    const check = fail(
      'installer_rights',
      `amoCRM refused to show user ${userId}: ${describe(err)} (only an admin's token may read users)`,
      FIX,
    );
    return { check, isAdmin: refused ? false : undefined };
  }
}
