import { api, ApiError, setCsrfToken } from './api.ts';
import { setShopTimeZone } from './format.ts';
import type { SessionAnswer, SettingsAnswer, User } from './types.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** An API route as /api/openapi.json names it: `{ method: 'put', path: '/api/settings' }`, `/api/orders/{id}`. */
export interface RouteKey {
  method: HttpMethod;
  path: string;
}

interface OpenApiDoc {
  paths?: Record<string, Record<string, { 'x-roles'?: string[] }>>;
}

/**
 * Who is signed in and which API routes their role may call. What the page offers (screens,
 * buttons, bulk actions) follows from the server's own route list, so a route added on the server
 * lights up its part of the page, and a role that may not call a route never sees its controls.
 */
export class Session {
  constructor(
    readonly user: User,
    private readonly rolesByRoute: Map<string, string[]>,
  ) {}

  can(route: RouteKey): boolean {
    return this.rolesByRoute.get(`${route.method} ${route.path}`)?.includes(this.user.role) ?? false;
  }
}

function routeRoles(doc: OpenApiDoc): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(operations)) map.set(`${method} ${path}`, op['x-roles'] ?? []);
  }
  return map;
}

const SETTINGS_GET: RouteKey = { method: 'get', path: '/api/settings' };

async function sessionFrom(answer: SessionAnswer): Promise<Session> {
  setCsrfToken(answer.csrfToken);
  const session = new Session(answer.user, routeRoles(await api.get<OpenApiDoc>('/api/openapi.json')));
  await useShopTimeZone(session);
  return session;
}

/** Times on every screen are shown in the shop's time zone; without the settings they stay UTC (and say so). */
async function useShopTimeZone(session: Session): Promise<void> {
  if (!session.can(SETTINGS_GET)) return;
  try {
    const { settings } = await api.get<SettingsAnswer>(SETTINGS_GET.path);
    if (typeof settings.shopTimezone === 'string') setShopTimeZone(settings.shopTimezone);
  } catch {
    // The screens load the settings again where they need them and report problems there.
  }
}

/** The current session, or undefined when nobody is signed in. */
export async function resumeSession(): Promise<Session | undefined> {
  try {
    return await sessionFrom(await api.get<SessionAnswer>('/api/me', { quiet401: true }));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return undefined;
    throw err;
  }
}

export async function signIn(username: string, password: string): Promise<Session> {
  return sessionFrom(await api.post<SessionAnswer>('/api/login', { username, password }));
}

export async function signOut(): Promise<void> {
  try {
    await api.post('/api/logout');
  } finally {
    setCsrfToken(undefined);
  }
}
