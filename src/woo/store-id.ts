/** The store's address as its identity in the inbox: no credentials, no trailing slash. */
export function storeIdOf(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  u.search = '';
  u.hash = '';
  return u.toString().replace(/\/+$/, '');
}
