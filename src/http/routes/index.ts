import type { RouteModule } from '../route-spec.ts';
import { accountClashRoutes } from './account-clashes.ts';
import { accountRoutes } from './accounts.ts';
import { auditRoutes } from './audit.ts';
import { authRoutes } from './auth.ts';
import { batchRoutes } from './batches.ts';
import { booksRoutes } from './books.ts';
import { checkRoutes } from './check.ts';
import { customerLinkRoutes } from './customer-links.ts';
import { dashboardRoutes } from './dashboard.ts';
import { healthRoutes } from './health.ts';
import { manualAccountRoutes } from './manual-accounts.ts';
import { metricsRoutes } from './metrics.ts';
import { notificationRoutes } from './notifications.ts';
import { orderActionRoutes } from './order-actions.ts';
import { orderRoutes } from './orders.ts';
import { outboxRoutes } from './outbox.ts';
import { planRoutes } from './plan.ts';
import { settingsRoutes } from './settings.ts';
import { userRoutes } from './users.ts';
import { webhookRoutes } from './webhooks.ts';

/**
 * Every route module of the API, one line each. A new feature adds its module here (or passes it
 * to createApp's `routes` option): each RouteSpec declares its roles, so the router and
 * /api/openapi.json are built from the same list, and test/http-route-guard.test.ts checks that
 * every route refuses a request without credentials unless it is allow-listed there.
 */
export const ROUTE_MODULES: RouteModule[] = [
  healthRoutes,
  authRoutes,
  settingsRoutes,
  auditRoutes,
  userRoutes,
  dashboardRoutes,
  orderRoutes,
  orderActionRoutes,
  manualAccountRoutes,
  outboxRoutes,
  batchRoutes,
  booksRoutes,
  accountRoutes,
  accountClashRoutes,
  customerLinkRoutes,
  planRoutes,
  checkRoutes,
  metricsRoutes,
  webhookRoutes,
  notificationRoutes,
];
