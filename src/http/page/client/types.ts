/** The API's answers as the page reads them (see /api/openapi.json for the full description). */
import type { OrderState } from '../../../domain/order-state.ts';

export type { OrderState };
export type Role = 'owner' | 'support';

export interface User {
  id: number;
  username: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
  lastLoginAt: string | null;
}

export interface SessionAnswer {
  user: User;
  via: 'session' | 'token';
  csrfToken?: string;
}

export interface OrderSummary {
  id: number;
  number: string | null;
  status: string;
  state: OrderState;
  stateChangedAt: string;
  customerId: number;
  billingEmail: string | null;
  totalMinor: number | null;
  currency: string | null;
  dateModified: string;
  rule: string | null;
  accountCode: string | null;
  lastError: string | null;
  changedAfterExport: boolean;
  changeSummary: string | null;
}

export interface OrderEvent {
  at: string;
  from: OrderState | null;
  to: OrderState;
  reason: string | null;
  actor: string;
}

export interface OrderDocument {
  id: number;
  kind: string;
  jobKey: string;
  accountCode: string | null;
  state: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  batchId: number | null;
  batchName: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface OrderDetail {
  order: OrderSummary;
  decision: unknown;
  events: OrderEvent[];
  documents: OrderDocument[];
}

export interface OrderList {
  orders: OrderSummary[];
  total: number;
  nextBefore: number | null;
}

export interface Dashboard {
  now: string;
  ordersByState: Record<OrderState, number>;
  stateChangesPerDay: Array<{ day: string; entered: Record<OrderState, number> }>;
  queue: { byState: Record<string, number>; waiting: number; oldestWaitingSince: string | null };
  attention: { held: number; failed: number; changedAfterExport: number; total: number };
  lastPoll: { at: string; durationMs: number; orders: number } | null;
}

export type Settings = Record<string, unknown>;

export interface SettingsAnswer {
  settings: Settings;
  help: Record<string, string>;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  before?: unknown;
  after?: unknown;
}
