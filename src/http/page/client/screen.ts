import type { RouteKey, Session } from './session.ts';

export interface ScreenContext {
  session: Session;
  /** The query part of the page address, e.g. `state=held` in `#/orders?state=held`. */
  params: URLSearchParams;
  /**
   * Goes to a screen. `replace` records the new address without a history entry and without
   * re-rendering: for a screen keeping its own filters in the address.
   */
  go(screenId: string, params?: Record<string, string | undefined>, options?: { replace?: boolean }): void;
  /** Says something to screen-reader users (and nothing visible). */
  announce(message: string): void;
}

/**
 * One screen of the page. Add a screen by writing one of these and listing it in
 * screens/index.ts; it appears in the navigation for every role that may call `needs`.
 */
export interface Screen {
  /** The address: `#/<id>`. */
  id: string;
  title: string;
  needs: RouteKey;
  render(ctx: ScreenContext): Promise<HTMLElement>;
}

/** `#/orders?state=held` → { id: 'orders', params }. */
export function parseAddress(hash: string): { id: string; params: URLSearchParams } {
  const m = /^#\/([a-z0-9-]*)(?:\?(.*))?$/.exec(hash);
  return m ? { id: m[1] ?? '', params: new URLSearchParams(m[2] ?? '') } : { id: '', params: new URLSearchParams() };
}

export function addressOf(screenId: string, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, value);
  const text = query.toString();
  return `#/${screenId}${text ? `?${text}` : ''}`;
}

/**
 * Goes to the address, or renders the screen again when it is the address shown already (the
 * browser fires no hashchange then): "Apply filters" twice reloads, as a person expects.
 */
export function goOrReload(ctx: ScreenContext, screenId: string, params: Record<string, string | undefined>): void {
  if (location.hash === addressOf(screenId, params)) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else ctx.go(screenId, params);
}
