/** The API's answers as the page reads them (see /api/openapi.json for the full description). */
import type { OrderState } from '../../../domain/order-state.ts';

export type { OrderState };
export type Role = 'owner' | 'support' | 'importer';

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
  /** "Jo Bloggs (Bloggs Ltd)" from the billing address. */
  billingName: string | null;
  totalMinor: number | null;
  currency: string | null;
  dateModified: string;
  rule: string | null;
  accountCode: string | null;
  lastError: string | null;
  changedAfterExport: boolean;
  changeSummary: string | null;
  customerPending: boolean;
  /** For a waiting order: why it has not been processed, or that the next sync takes it. */
  waitingReason: string | null;
  /** Waiting with a WooCommerce status that is not exported (cancelled, refunded…): it will not go to Sage as it is. */
  statusNotExported: boolean;
  /** The state as support reads it: the state, or "not exported (status cancelled)". */
  stateLabel: string;
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
  sageAccounts: { known: boolean; waitingForImport: number };
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

export type LinkStatus = 'linked' | 'unlinked' | 'conflicting';

export interface CustomerLink {
  customerId: number;
  email: string | null;
  name: string;
  company: string | null;
  profileCode: string | null;
  status: LinkStatus;
  problem: string | null;
  account: { code: string; name: string | null; status: string } | null;
  emailMatches: string[];
}

export interface CustomerLinkPage {
  total: number;
  page: number;
  pageSize: number;
  rows: CustomerLink[];
  counts: Record<LinkStatus, number>;
}

export interface LinkResult {
  customerId: number;
  code: string | null;
  previousCode: string | null;
  accountName: string | null;
  localProfileUpdated: boolean;
  heldOrderIds: number[];
  stillHeld: Array<{ orderId: number; reason: string }>;
}

export type LinkRowResult =
  { customerId: number; ok: true; link: LinkResult } | { customerId: number; ok: false; error: { code: string; message: string } };

export interface LinkAnswer {
  results: LinkRowResult[];
  linked: number;
  failed: number;
}

export type AccountStatus = 'active' | 'inactive' | 'pending';

export interface SageAccount {
  code: string;
  name: string | null;
  status: AccountStatus;
  origin: string;
  emails: string[];
  updatedAt: string;
  confirmedAt: string | null;
}

export interface AccountList {
  total: number;
  accounts: SageAccount[];
  counts: Record<AccountStatus, number>;
  lastImport: { id: number; file: string; kind: string; actor: string; finishedAt: string; customers: number } | null;
}

export interface AccountDetail {
  account: {
    code: string;
    name: string | null;
    status: AccountStatus;
    origin: string;
    ownerKey: string | null;
    emails: string[];
    details: unknown;
    createdAt: string;
    confirmedAt: string | null;
  };
  linkedCustomers: Array<{ customerId: number; email: string | null; name: string; company: string | null }>;
}

export interface ImportSummary {
  importId: number;
  file: string;
  kind: 'all' | 'partial';
  customers: number;
  created: number;
  updated: number;
  confirmed: number;
  reactivated: number;
  deactivated: number;
  emails: number;
  skipped: Array<{ line: number; reason: string }>;
  warnings: string[];
  clashes: Array<{
    code: string;
    created: { name: string | null; emails: string[] };
    sage: { name: string | null; emails: string[] };
    heldOrders: number[];
    deliveredOrders: number[];
    action: string;
  }>;
}

export type BatchState = 'open' | 'staged' | 'written' | 'offered' | 'acknowledged' | 'expired';

export interface ExportBatch {
  id: number;
  name: string;
  channel: 'folder' | 'pull';
  state: BatchState;
  documents: number;
  customers: number;
  salesOrders: number;
  files: string[];
  createdAt: string;
  deliveredAt: string | null;
  offeredAt: string | null;
  offerExpiresAt: string | null;
  acknowledgedAt: string | null;
  lastError: string | null;
}

export interface BatchList {
  batches: ExportBatch[];
  total: number;
  nextBefore: number | null;
}

/** POST /api/check: what `woo-sage check --json` prints. */
export interface CheckReport {
  status: 'ready' | 'not_ready' | 'unusable';
  exitCode: 0 | 1 | 2;
  store: string | null;
  checkedAt: string;
  findings: Array<{ id: string; level: 'ok' | 'info' | 'warn' | 'fail' | 'fatal'; message: string; fix: string | null }>;
}

export interface EmailLink {
  email: string;
  accountCode: string;
  actor: string;
  reason: string | null;
  fromOrderId: number | null;
  createdAt: string;
}

export interface AccountClash {
  id: number;
  code: string;
  state: 'open' | 'recoded';
  detectedAt: string;
  sage: { name: string | null; emails: string[] };
  created: { name: string | null; emails: string[] };
  newCode: string | null;
  instructions: string[];
}

export interface RecodeResult {
  code: string;
  newCode: string;
  reprocessed: Array<{ orderId: number; outcome: string; reason: string }>;
  instructions: string[];
}
