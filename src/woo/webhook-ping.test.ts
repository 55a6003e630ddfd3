import { describe, expect, it } from 'vitest';
import { webhookPingId } from './webhook-ping.ts';

const form = 'application/x-www-form-urlencoded; charset=UTF-8';
const ping = (body: string, contentType: string | undefined = form, signature?: string) =>
  webhookPingId({ rawBody: Buffer.from(body), contentType, signature });

describe('webhook ping', () => {
  it("when WooCommerce's unsigned form-encoded ping arrives, then its webhook id is read", () => {
    expect(ping('webhook_id=17')).toBe(17);
    expect(ping('webhook_id=17', 'application/x-www-form-urlencoded')).toBe(17);
    expect(ping('webhook_id=17', undefined)).toBe(17);
  });

  it('when the body is anything else, carries a signature or is not form-encoded, then it is not a ping', () => {
    expect(ping('webhook_id=17', form, 'c2lnbmF0dXJl')).toBeUndefined();
    expect(ping('webhook_id=17', 'application/json')).toBeUndefined();
    for (const body of [
      '',
      'webhook_id=',
      'webhook_id=abc',
      'webhook_id=17&x=1',
      ' webhook_id=17',
      '{"webhook_id":17}',
      `webhook_id=${'9'.repeat(19)}`,
    ])
      expect(ping(body), body).toBeUndefined();
  });
});
