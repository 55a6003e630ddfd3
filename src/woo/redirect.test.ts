import { describe, expect, it } from 'vitest';
import { explainRedirect } from './redirect.ts';

describe('explainRedirect', () => {
  it('when the redirect keeps the path on another address, then that address is the one to use', () => {
    expect(
      explainRedirect(
        'http://shop.example.com/',
        '/wp-json/wc/v3/orders',
        'https://www.shop.example.com/wp-json/wc/v3/orders?oauth_signature=abc',
      ),
    ).toEqual({
      kind: 'moved',
      location: 'https://www.shop.example.com/wp-json/wc/v3/orders',
      storeUrl: 'https://www.shop.example.com',
      text: 'the store redirects http://shop.example.com/wp-json/wc/v3/orders to the same path at https://www.shop.example.com: set WOO_URL=https://www.shop.example.com',
    });
  });

  it('when a site in a folder moved, then the folder is kept in the address to use', () => {
    expect(explainRedirect('http://example.com/shop', '/wp-json/', 'https://example.com/shop/wp-json/')).toMatchObject({
      kind: 'moved',
      storeUrl: 'https://example.com/shop',
    });
  });

  it('when WordPress redirects to a page (a guess), then it is not offered as the address to use, relative locations included', () => {
    const guess = explainRedirect('https://example.com/shop', '/wp-json/wc/v3/orders', '/shop/');
    expect(guess).toMatchObject({ kind: 'guess', location: 'https://example.com/shop/' });
    expect(guess!.text).toContain('not the address to use');
    expect(guess!.text).not.toContain('set WOO_URL');
  });

  it('when the location is not a URL, then there is no explanation', () => {
    expect(explainRedirect('https://example.com', '/wp-json/', 'http://[::1')).toBeUndefined();
  });
});
