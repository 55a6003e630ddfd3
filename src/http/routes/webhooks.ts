import express from 'express';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { isValidWebhookSignature } from '../../woo/webhook-signature.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';

const WEBHOOK_BODY_LIMIT = '2mb';

/**
 * WooCommerce's order webhooks (order.created / order.updated / order.deleted) only make the next poll happen now:
 * the payload is never trusted or stored, because polling stays the source of truth (webhooks
 * are asynchronous and WooCommerce disables one after 5 failed deliveries). The signature is
 * checked on the raw bytes, in constant time, before anything else.
 */
export const webhookRoutes: RouteModule = ({ config, logger, triggers }) => [
  defineRoute({
    method: 'post',
    path: '/webhooks/woocommerce',
    summary: 'Receive a signed WooCommerce webhook and poll the store now',
    description:
      'Public, but refused (401) unless X-WC-Webhook-Signature is the base64 HMAC-SHA256 of the raw body with WOO_WEBHOOK_SECRET. ' +
      'A valid call asks for an immediate incremental poll; the body itself is not used.',
    tags: ['webhooks'],
    roles: 'public',
    bodyParser: express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }),
    status: 202,
    response: z.object({ accepted: z.literal(true), topic: z.string().nullable() }),
    async handler({ req }) {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
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
