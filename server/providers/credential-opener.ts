import type { SecretBox } from '../crypto/secret-box.ts';

/** How many opened credential sets stay cached. */
const MAX_OPENED = 1000;

/**
 * Opens sealed credentials, cached by sealed text: every save seals with a fresh IV, so a changed
 * row never hits a stale entry. Each caller gets its own copy.
 */
export function createCredentialOpener(secretBox: SecretBox): (sealed: string) => Record<string, unknown> {
  const opened = new Map<string, Record<string, unknown>>();
  return (sealed) => {
    let creds = opened.get(sealed);
    if (!creds) {
      creds = JSON.parse(secretBox.open(sealed)) as Record<string, unknown>;
      if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value as string);
      opened.set(sealed, creds);
    }
    return structuredClone(creds);
  };
}
