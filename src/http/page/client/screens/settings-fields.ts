/**
 * The settings form, laid out the way the allocation rules work: the five rules in priority order,
 * each with the settings that steer it, then the other settings.
 */
export type FieldKind = 'text' | 'checkbox' | 'select' | 'number' | 'list' | 'json' | 'timezone';

export interface FieldDef {
  key: string;
  label: string;
  kind: FieldKind;
  hint?: string;
  options?: Array<[value: string, label: string]>;
}

export interface RuleGroup {
  rule: 'PROFILE' | 'EXISTING' | 'NEW' | 'DEFAULT' | 'NONE';
  title: string;
  explanation: string;
  fields: FieldDef[];
}

export const RULE_GROUPS: RuleGroup[] = [
  {
    rule: 'PROFILE',
    title: "The customer's own account code",
    explanation:
      'If the order carries a Sage account code from the customer’s website profile (or the order’s own meta data), that code is used, whatever the settings below. The code is trimmed and upper-cased, then checked.',
    fields: [
      {
        key: 'profileMetaKey',
        label: 'Profile meta key',
        kind: 'text',
        hint: 'The WooCommerce meta key holding the code, e.g. sage_account_code.',
      },
      {
        key: 'accountCodePattern',
        label: 'Account code pattern',
        kind: 'text',
        hint: 'A regular expression every code must match; a code that does not is held.',
      },
      {
        key: 'requireKnownProfileCode',
        label: 'Hold orders whose profile code is not a known Sage account',
        kind: 'checkbox',
        hint: 'Catches mistyped codes before Sage rejects them.',
      },
    ],
  },
  {
    rule: 'EXISTING',
    title: 'An existing Sage account with the billing email',
    explanation: 'If searching is on and the full billing email (ignoring case) matches exactly one Sage account, that account is used.',
    fields: [
      { key: 'searchSageByEmail', label: 'Search Sage accounts by billing email', kind: 'checkbox' },
      {
        key: 'onAmbiguousEmail',
        label: 'When the email matches several accounts',
        kind: 'select',
        hint: 'Holding is safer: a person then links the customer to the right account.',
        options: [
          ['hold', 'Hold the order and name the accounts'],
          ['first', 'Use the first matching account'],
        ],
      },
    ],
  },
  {
    rule: 'NEW',
    title: 'A new Sage account',
    explanation:
      'If creating accounts is on, a new account is created for the buyer (its code made from the company or name) — unless it is limited to logged-in buyers and the buyer checked out as a guest.',
    fields: [
      { key: 'createAccounts', label: 'Create a new Sage account when nothing matched', kind: 'checkbox' },
      { key: 'createAccountsForLoggedInOnly', label: 'Only for buyers who were logged in when they ordered', kind: 'checkbox' },
      {
        key: 'writeBackNewCodes',
        label: "Write new codes back to the customer's WooCommerce profile",
        kind: 'checkbox',
        hint: 'Their next order then takes rule 1.',
      },
    ],
  },
  {
    rule: 'DEFAULT',
    title: 'The default account',
    explanation: 'If a default account code is set, the order goes to that account.',
    fields: [
      {
        key: 'defaultAccountCode',
        label: 'Default account code',
        kind: 'text',
        hint: 'Up to 8 characters. Leave empty to hold such orders instead.',
      },
    ],
  },
  {
    rule: 'NONE',
    title: 'Hold the order',
    explanation: 'Otherwise the order is not exported. It is held with a reason a person can read and act on in Orders.',
    fields: [],
  },
];

export const OTHER_GROUPS: Array<{ title: string; fields: FieldDef[] }> = [
  {
    title: 'Which orders are exported, and when',
    fields: [
      {
        key: 'importStatuses',
        label: 'WooCommerce statuses to export',
        kind: 'list',
        hint: 'Separated by commas, e.g. processing, completed.',
      },
      {
        key: 'settleMinutes',
        label: 'Settle period in minutes',
        kind: 'number',
        hint: 'An order must be unchanged this long before it is exported (0–10080).',
      },
      { key: 'pollSchedule', label: 'Poll schedule', kind: 'text', hint: 'A cron expression; */5 * * * * is every five minutes.' },
      {
        key: 'exportRefunds',
        label: 'Export refunds as Sage credit notes',
        kind: 'checkbox',
        hint: 'Each refund of an exported order becomes a credit note (to the penny); one that cannot be is held for a person.',
      },
    ],
  },
  {
    title: 'Notifications',
    fields: [
      {
        key: 'notifyEmailTo',
        label: 'Email the digests to',
        kind: 'list',
        hint: 'Addresses separated by commas; empty sends no email. Held, failed and changed orders are listed, each with a link.',
      },
      { key: 'notifyEveryMinutes', label: 'At most one digest every (minutes)', kind: 'number', hint: '1–1440.' },
      { key: 'notifyEmailFrom', label: 'Sender address', kind: 'text' },
      { key: 'notifySmtpHost', label: 'SMTP server', kind: 'text', hint: 'e.g. smtp.example.com; its password comes from SMTP_PASSWORD.' },
      { key: 'notifySmtpPort', label: 'SMTP port', kind: 'number', hint: '587 for STARTTLS, 465 for TLS.' },
      {
        key: 'notifySmtpSecurity',
        label: 'SMTP security',
        kind: 'select',
        options: [
          ['starttls', 'STARTTLS (required)'],
          ['tls', 'TLS from the start'],
          ['none', 'None (a relay on this machine only)'],
        ],
      },
      { key: 'notifySmtpUser', label: 'SMTP user name', kind: 'text', hint: 'Empty when the server needs no login.' },
      {
        key: 'notifyLinkBaseUrl',
        label: 'Address of this admin page',
        kind: 'text',
        hint: 'The address people open this page at, starting https://, for the links in the digests. A webhook (Slack…) is set with NOTIFY_WEBHOOK_URL.',
      },
    ],
  },
  {
    title: 'Tax and nominal codes',
    fields: [
      {
        key: 'taxCodes',
        label: 'Tax codes (JSON)',
        kind: 'json',
        hint: 'WooCommerce tax → Sage T-code: byRateId, then byClass, then byPercent; untaxed lines take untaxed.',
      },
      {
        key: 'nominalCodes',
        label: 'Nominal codes (JSON)',
        kind: 'json',
        hint: 'Sales nominal accounts: bySku, then byCategory, then default; carriage, fees and rounding lines.',
      },
      {
        key: 'sageTaxRates',
        label: 'Sage tax rates (JSON)',
        kind: 'json',
        hint: 'The rate of each T-code as set up in Sage, e.g. {"1": "20"}: prices are chosen so that Sage’s VAT equals WooCommerce’s.',
      },
    ],
  },
  {
    title: 'Sales order lines and payments',
    fields: [
      {
        key: 'missingSku',
        label: 'An order line without a SKU',
        kind: 'select',
        options: [
          ['default', 'Use the default product code (with a warning)'],
          ['hold', 'Hold the order for a person'],
        ],
      },
      {
        key: 'defaultSku',
        label: 'Default product code',
        kind: 'text',
        hint: 'For lines without a SKU, fees, extra shipping and rounding lines (up to 30 characters), e.g. S1.',
      },
      {
        key: 'couponDiscountAs',
        label: 'How a coupon discount is written',
        kind: 'select',
        options: [
          ['unambiguous', 'Right under both readings: a discount only on single units, other lines at their discounted price'],
          ['lineDiscount', 'The line’s whole discount (Sage’s Discount column)'],
          ['unitDiscount', 'A discount per unit'],
          ['netPrice', 'A discounted unit price, no discount field'],
        ],
      },
      {
        key: 'payments',
        label: 'Payments (JSON)',
        kind: 'json',
        hint: 'Paid orders carry their payment: record (true/false), type (SalesReceipt or PaymentAlreadyReceived), bankAccount, and byMethod: payment method → bank nominal.',
      },
    ],
  },
  {
    title: 'The shop',
    fields: [
      {
        key: 'shopTimezone',
        label: 'Shop time zone',
        kind: 'timezone',
        hint: 'As set in WordPress under Settings → General → Timezone. Times on this page are shown in it.',
      },
    ],
  },
];

/** What happens to an order with no profile code whose email finds no Sage account, for the settings as drafted. */
export function fallThroughOutcome(s: Record<string, unknown>, loggedIn: boolean): string {
  if (s.createAccounts === true && (s.createAccountsForLoggedInOnly !== true || loggedIn)) return 'a new Sage account is created (rule 3)';
  const code = typeof s.defaultAccountCode === 'string' ? s.defaultAccountCode.trim().toUpperCase() : '';
  if (code) return `it goes to the default account ${code} (rule 4)`;
  return 'it is held for a person (rule 5)';
}
