import { getContext, setContext } from 'svelte';
import type { App } from './api/types.ts';

/** What the app layout knows and every page under /apps/[app_id] needs. Getters keep it reactive. */
export interface AppContext {
  readonly app: App;
  /** manager of the app, or admin: may edit links, partners, members, costs, settings */
  readonly canManage: boolean;
  /** reload the app after a change (rename) */
  refresh(): void;
}

const KEY = Symbol('app');

export function provideApp(ctx: AppContext): void {
  setContext(KEY, ctx);
}

export function useApp(): AppContext {
  const ctx = getContext<AppContext | undefined>(KEY);
  if (!ctx) throw new Error('useApp() outside /apps/[app_id]');
  return ctx;
}
