/**
 * The SDK key is public (it ships inside apps), but the API shows it only when an app is created
 * or its keys rotated. Remembering it per tab lets the empty overview show a ready-to-run snippet.
 * The server key is a secret and is never stored.
 */
type SessionStorageLike = { getItem(k: string): string | null; setItem(k: string, v: string): void };

const PREFIX = 'unmogrowp.sdk_key.';

function storage(): SessionStorageLike | null {
  try {
    return (globalThis as unknown as { sessionStorage?: SessionStorageLike }).sessionStorage ?? null;
  } catch {
    return null;
  }
}

export function rememberSdkKey(appId: string, sdkKey: string): void {
  try {
    if (sdkKey) storage()?.setItem(PREFIX + appId, sdkKey);
  } catch {
    // Not remembering only costs the user a copy-paste.
  }
}

export function recallSdkKey(appId: string): string | null {
  try {
    return storage()?.getItem(PREFIX + appId) ?? null;
  } catch {
    return null;
  }
}
