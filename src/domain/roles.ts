/**
 * `owner`: everything, including settings and users. `support`: view, reprocess, link; cannot
 * change settings or users. `importer`: a machine account for an importer that fetches its
 * documents over HTTP: takes and acknowledges outbox batches, sees nothing else.
 */
export const ROLES = ['owner', 'support', 'importer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Route permission shorthands: who may call a route. */
/** The people who run the shop's connector: every view and support action. */
export const ANY_ROLE: readonly Role[] = ['owner', 'support'];
export const OWNER_ONLY: readonly Role[] = ['owner'];
/** Taking documents out of the queue hands them to Sage: the importer's account, or an owner. */
export const IMPORTER_ROLES: readonly Role[] = ['owner', 'importer'];
/** Every signed-in account: who am I, sign out, change my password. */
export const EVERY_ROLE: readonly Role[] = ROLES;
