/**
 * `owner`: everything, including settings and users. `support`: view, reprocess, link; cannot
 * change settings or users.
 */
export const ROLES = ['owner', 'support'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Route permission shorthands: who may call a route. */
export const ANY_ROLE: readonly Role[] = ROLES;
export const OWNER_ONLY: readonly Role[] = ['owner'];
