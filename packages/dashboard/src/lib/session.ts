import { writable } from 'svelte/store';
import { createApiClient, type KeyValueStore, type LockFn, REFRESH_KEY } from './api/client.ts';
import { messageOf } from './api/errors.ts';
import type { User } from './api/types.ts';

/** Who is signed in. `loading` until the stored refresh token has been tried once after a page load. */
export type SessionState =
  | { status: 'loading' }
  | { status: 'signed_out' }
  | { status: 'signed_in'; user: User }
  | { status: 'unreachable'; message: string };

export const session = writable<SessionState>({ status: 'loading' });

type BrowserGlobals = {
  localStorage?: KeyValueStore;
  navigator?: { locks?: { request<T>(name: string, fn: () => Promise<T>): Promise<T> } };
};

const browser = globalThis as unknown as BrowserGlobals;

function browserStorage(): KeyValueStore | null {
  try {
    return browser.localStorage ?? null;
  } catch {
    return null; // a sandboxed iframe throws on access
  }
}

function webLock(): LockFn | undefined {
  const locks = browser.navigator?.locks;
  return locks ? (name, fn) => locks.request(name, fn) : undefined;
}

export const api = createApiClient({
  fetch: (input, init) => globalThis.fetch(input, init),
  storage: browserStorage(),
  lock: webLock(),
  onSession: (user) => session.set(user ? { status: 'signed_in', user } : { status: 'signed_out' }),
});

/** Called once by the root layout. A network failure is not a sign-out: the user may retry. */
export async function restoreSession(): Promise<void> {
  session.set({ status: 'loading' });
  try {
    await api.restore();
  } catch (error) {
    session.set({ status: 'unreachable', message: messageOf(error) });
  }
}

/** A `storage` event from another tab: follow its sign-out. */
export function onStorageEvent(key: string | null, newValue: string | null): void {
  if ((key === REFRESH_KEY || key === null) && newValue === null) api.signedOutElsewhere();
}
