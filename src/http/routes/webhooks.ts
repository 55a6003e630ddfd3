import express from 'express';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { webhookPingId } from '../../woo/webhook-ping.ts';
import { isValidWebhookSignature } from '../../woo/webhook-signature.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';

const WEBHOOK_BODY_LIMIT = '2mb';

/**
 * WooCommerce's order webhooks (order.created / order.updated / order.deleted) only make the next poll happen now:
 * the payload is never trusted or stored, because polling stays the source of truth (webhooks
 * are asynchronous and WooCommerce disables one after 5 failed deliveries). The signature is
 * checked on the raw bytes, in constant time, before anything else. The one unsigned call
 * answered is WooCommerce's ping when a webhook is saved (`webhook_id=N`): 200 and nothing else,
 * because WooCommerce shows any other status (202 too) to the shop owner as a broken webhook.
 */
export const webhookRoutes: RouteModule = ({ config, logger, triggers }) => [
  defineRoute({
    method: 'post',
    path: '/webhooks/woocommerce',
    summary: 'Receive a signed WooCommerce webhook and poll the store now',
    description:
      'Public, but refused (401) unless X-WC-Webhook-Signature is the base64 HMAC-SHA256 of the raw body with WOO_WEBHOOK_SECRET. ' +
      'A valid call asks for an immediate incremental poll (202); the body itself is not used. ' +
      "WooCommerce's unsigned ping when a webhook is saved (form-encoded body `webhook_id=N`, no signature) is answered 200 " +
      '`{"ping": true, "webhookId": N}` and polls nothing.',
    tags: ['webhooks'],
    roles: 'public',
    bodyParser: express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }),
    status: 202,
    response: z.union([
      z.object({ accepted: z.literal(true), topic: z.string().nullable() }),
      z.object({ ping: z.literal(true), webhookId: z.number().int() }),
    ]),
    async handler({ req, res }) {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const pingId = webhookPingId({ rawBody: raw, contentType: req.get('content-type'), signature: req.get('x-wc-webhook-signature') });
      if (pingId !== undefined) {
        logger.info({ webhookId: pingId }, 'webhook ping from WooCommerce answered; nothing to poll');
        // Written here: the route's 202 would read as a failed ping in WooCommerce.
        res.status(200).json({ ping: true, webhookId: pingId });
        return undefined;
      }
      const secret = config.wooWebhookSecret ?? '';
      if (!isValidWebhookSignature(raw, req.get('x-wc-webhook-signature'), secret)) {
        throw new AppError('WEBHOOK_SIGNATURE_INVALID', 'the webhook signature is missing or does not match', 401);
      }
      const topic = req.get('x-wc-webhook-topic') ?? null;
      if (!triggers?.requestSync) {
        throw new AppError(
          'SYNC_NOT_RUNNING',
          'this instance does not run the scheduler (no store configured); the next poll will pick the change up',
          503,
        );
      }
      logger.info({ topic, webhookId: req.get('x-wc-webhook-id') ?? null }, 'webhook received: polling now');
      triggers.requestSync(`webhook ${topic ?? ''}`.trim());
      return { accepted: true as const, topic };
    },
  }),
];
