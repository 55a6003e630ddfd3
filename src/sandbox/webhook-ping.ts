/**
 * What WooCommerce does when a shop owner saves a webhook (WC_Webhook::deliver_ping in 7.x): a
 * POST of `webhook_id=N`, form-encoded, unsigned, with WooCommerce's Hookshot user agent. Only a
 * 200 counts; anything else (202 included) is shown to the shop owner as an error.
 */
export type PingResult = { ok: true; status: 200 } | { ok: false; status: number | null; message: string };

export async function deliverWebhookPing(deliveryUrl: string, webhookId: number): Promise<PingResult> {
  let response: Response;
  try {
    response = await fetch(deliveryUrl, {
      method: 'POST',
      headers: {
        'user-agent': 'WooCommerce/7.8.0 Hookshot (WordPress/6.1.1)',
        'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
      },
      body: `webhook_id=${webhookId}`,
    });
  } catch (err) {
    return {
      ok: false,
      status: null,
      message: `Error: Delivery URL cannot be reached: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  await response.arrayBuffer();
  if (response.status !== 200) {
    return { ok: false, status: response.status, message: `Error: Delivery URL returned response code: ${response.status}` };
  }
  return { ok: true, status: 200 };
}
