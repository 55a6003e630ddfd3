import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { ANY_ROLE } from '../../domain/roles.ts';
import { exportQueueDepth, ordersNeedingAttention } from '../../db/dashboard-queries.ts';
import { countOrdersByState } from '../../db/order-queries.ts';
import { readLastPoll } from '../../db/poll-status.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';

/**
 * Prometheus metrics, read from the database at scrape time so every instance reports the same
 * truth. Guarded like the rest of the API: Prometheus scrapes with a bearer token
 * (`woo-sage users token NAME`, `authorization: { credentials: … }` in its scrape config).
 */
export const metricsRoutes: RouteModule = ({ db }) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'woo_sage_process_' });
  new Gauge({
    name: 'woo_sage_orders',
    help: 'Orders in the inbox by connector state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      for (const [state, count] of Object.entries(await countOrdersByState(db))) this.set({ state }, count);
    },
  });
  new Gauge({
    name: 'woo_sage_orders_needing_attention',
    help: 'Orders a person must look at: held, failed, changed in WooCommerce after export',
    labelNames: ['reason'],
    registers: [registry],
    async collect() {
      const attention = await ordersNeedingAttention(db);
      this.set({ reason: 'held' }, attention.held);
      this.set({ reason: 'failed' }, attention.failed);
      this.set({ reason: 'changed_after_export' }, attention.changedAfterExport);
    },
  });
  new Gauge({
    name: 'woo_sage_export_documents',
    help: 'Sage documents in the outbox by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const depth = await exportQueueDepth(db);
      for (const [state, count] of Object.entries(depth.byState)) this.set({ state }, count);
    },
  });
  new Gauge({
    name: 'woo_sage_export_queue_depth',
    help: 'Documents queued or being delivered (not yet in the outbox)',
    registers: [registry],
    async collect() {
      this.set((await exportQueueDepth(db)).waiting);
    },
  });
  const lastPoll = new Gauge({
    name: 'woo_sage_last_successful_poll_timestamp_seconds',
    help: 'When the last successful sync finished (Unix time); 0 when none yet',
    registers: [registry],
  });
  const pollDuration = new Gauge({
    name: 'woo_sage_last_poll_duration_seconds',
    help: 'How long the last successful sync took',
    registers: [registry],
  });
  const pollOrders = new Gauge({
    name: 'woo_sage_last_poll_orders',
    help: 'Orders read from the store by the last successful sync',
    registers: [registry],
  });

  return [
    defineRoute({
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics',
      description: 'Orders by state, documents in the outbox, queue depth, the last successful poll and its duration, process metrics.',
      tags: ['meta'],
      roles: ANY_ROLE,
      responseContentType: 'text/plain; version=0.0.4',
      async handler({ res }) {
        const poll = await readLastPoll(db);
        lastPoll.set(poll ? Date.parse(poll.at) / 1000 : 0);
        pollDuration.set(poll ? poll.durationMs / 1000 : 0);
        pollOrders.set(poll ? poll.orders : 0);
        const text = await registry.metrics();
        res.status(200).type(registry.contentType).send(text);
      },
    }),
  ];
};
