/**
 * What a redirect from the store means. A redirect that keeps the path (http → https, a www rule,
 * a moved site) names the address to use. One to another path is WordPress's "guess" for an
 * address it does not know (redirect_guess_404_permalink sends …/shop/wp-json/… to the Shop page):
 * the REST API is not where WOO_URL says, and the page it points at is not the address to use.
 */
export type RedirectExplanation =
  { kind: 'moved'; location: string; storeUrl: string; text: string } | { kind: 'guess'; location: string; text: string };

/**
 * @param storeUrl WOO_URL as configured.
 * @param requestPath what was asked for below it, e.g. "/wp-json/wc/v3/orders".
 * @param location the Location header (absolute or relative); its query is dropped (it may carry signatures).
 */
export function explainRedirect(storeUrl: string, requestPath: string, location: string): RedirectExplanation | undefined {
  const base = storeUrl.replace(/\/+$/, '');
  let target: URL;
  try {
    target = new URL(location, `${base}${requestPath}`);
  } catch {
    return undefined;
  }
  const shown = `${target.origin}${target.pathname}`;
  const wanted = requestPath.replace(/\/+$/, '');
  const path = target.pathname.replace(/\/+$/, '');
  if (wanted !== '' && path.endsWith(wanted)) {
    const moved = `${target.origin}${path.slice(0, path.length - wanted.length)}`;
    return {
      kind: 'moved',
      location: shown,
      storeUrl: moved,
      text: `the store redirects ${base}${requestPath} to the same path at ${moved}: set WOO_URL=${moved}`,
    };
  }
  return {
    kind: 'guess',
    location: shown,
    text: `the store answered ${base}${requestPath} with a redirect to the page ${shown}: WordPress "guesses" a page for an address it does not know, so its REST API is not at ${base}/wp-json; that page is not the address to use (run woo-sage check)`,
  };
}
