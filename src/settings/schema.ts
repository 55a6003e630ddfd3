import cron from 'node-cron';
import { z } from 'zod';
import { accountCodePattern, accountCodePatternProblems, MAX_PATTERN_LENGTH } from '../domain/allocation/account-code-pattern.ts';

const accountCodeText = z
  .string()
  .transform((v) => v.trim().toUpperCase())
  .pipe(z.string().max(8, 'a Sage account code is at most 8 characters'));

/** Checked before it is ever run, on write and on read: see account-code-pattern.ts. */
const accountCodePatternText = z.string().superRefine((value, ctx) => {
  for (const message of accountCodePatternProblems(value)) ctx.addIssue({ code: 'custom', message });
});

const taxCode = z.number().int('a Sage tax code is a whole number').min(0).max(99);
const nominalCode = z.string().regex(/^[0-9]{1,8}$/, 'a nominal code is 1-8 digits, e.g. 4000');

/**
 * WooCommerce tax → Sage T-code. Looked up most specific first: the rate id, then the tax class,
 * then the rate's percentage; lines with no tax at all take `untaxed`.
 */
export const taxCodesSchema = z
  .object({
    byRateId: z.record(z.string(), taxCode).default({}),
    byClass: z.record(z.string(), taxCode).default({}),
    byPercent: z.record(z.string().regex(/^\d+(\.\d+)?$/, 'a percentage such as "20" or "17.5"'), taxCode).default({
      '20': 1,
      '5': 5,
      '0': 0,
    }),
    untaxed: taxCode.default(9),
  })
  .strict();

/** WooCommerce product → Sage nominal (sales) account: SKU first, then category slug, then default. */
export const nominalCodesSchema = z
  .object({
    default: nominalCode.default('4000'),
    carriage: nominalCode.default('4905'),
    fees: nominalCode.default('4900'),
    rounding: nominalCode.default('4900'),
    bySku: z.record(z.string(), nominalCode).default({}),
    byCategory: z.record(z.string(), nominalCode).default({}),
  })
  .strict();

const percentText = z.string().regex(/^\d{1,2}(\.\d{1,4})?$/, 'a percentage such as "20" or "17.5"');

/**
 * The rate Sage applies for each T-code, as set up in Sage (Settings → Configuration → Tax Codes).
 * The importer computes each line's VAT from its net and this rate, so the connector must know it
 * to choose prices whose VAT equals WooCommerce's to the penny.
 */
export const sageTaxRatesSchema = z
  .record(z.string().regex(/^\d{1,2}$/, 'a Sage tax code 0-99, e.g. "1"'), percentText)
  .default({ '0': '0', '1': '20', '2': '0', '5': '5', '9': '0' });

const productCode = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(30, 'a Sage product code is at most 30 characters')
  .regex(/^[^\u0000-\u001f]+$/, 'must not contain control characters');

/**
 * An IANA time zone the runtime knows, Area/Location ("Europe/London") or UTC. Refused: a typo
 * ("Europe/Londn"), an offset ("+01:00", which ignores summer time) and the legacy abbreviations
 * ICU still accepts, which mislead: "BST" there is Bangladesh, not British Summer Time.
 */
const timeZoneName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64)
  .refine((value) => {
    if (value !== 'UTC' && !/^[A-Za-z]+(\/[A-Za-z0-9_+\-]+)+$/.test(value)) return false;
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as "Europe/London" (the one set in WordPress under Settings → General → Timezone)');

/** How a paid order's payment is posted with its sales order. */
export const paymentsSchema = z
  .object({
    record: z.boolean().default(true),
    type: z.enum(['SalesReceipt', 'PaymentAlreadyReceived']).default('SalesReceipt'),
    bankAccount: nominalCode.default('1200'),
    byMethod: z.record(z.string(), nominalCode).default({}),
  })
  .strict();

const emailAddress = z.string().trim().max(254).pipe(z.email('an email address such as support@example.com'));

/** A host name or address for the SMTP server, nothing else (no scheme, port or path). */
const hostName = z
  .string()
  .trim()
  .max(253)
  .regex(/^$|^[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:.]+\]?$/, 'a host name such as smtp.example.com, without scheme or port');

const pageUrl = z
  .string()
  .trim()
  .max(500)
  .refine((v) => v === '' || /^https?:\/\/[^\s]+$/.test(v), 'the address of this admin page, e.g. https://woo-sage.example.com')
  .transform((v) => v.replace(/\/+$/, ''));

/** The settings document: the keys of CONTRACT.md, each with its default. */
export const settingsSchema = z
  .object({
    defaultAccountCode: accountCodeText.default(''),
    searchSageByEmail: z.boolean().default(true),
    createAccounts: z.boolean().default(true),
    createAccountsForLoggedInOnly: z.boolean().default(false),
    profileMetaKey: z.string().trim().min(1, 'must not be empty').max(191).default('sage_account_code'),
    onAmbiguousEmail: z.enum(['hold', 'first']).default('hold'),
    requireKnownProfileCode: z.boolean().default(false),
    accountCodePattern: accountCodePatternText.default('^[A-Z0-9]{1,8}$'),
    importStatuses: z
      .array(
        z
          .string()
          .trim()
          .min(1)
          .regex(/^[a-z0-9_-]+$/, 'a WooCommerce status slug such as "processing"'),
      )
      .min(1, 'at least one status')
      .default(['processing', 'completed']),
    settleMinutes: z.number().int('whole minutes').min(0).max(10_080, 'at most a week (10080)').default(60),
    pollSchedule: z
      .string()
      .refine((v) => cron.validate(v), 'must be a cron expression, e.g. "*/5 * * * *"')
      .default('*/5 * * * *'),
    taxCodes: taxCodesSchema.default(taxCodesSchema.parse({})),
    nominalCodes: nominalCodesSchema.default(nominalCodesSchema.parse({})),
    writeBackNewCodes: z.boolean().default(false),
    sageTaxRates: sageTaxRatesSchema,
    missingSku: z.enum(['default', 'hold']).default('default'),
    defaultSku: productCode.default('S1'),
    couponDiscountAs: z.enum(['unambiguous', 'lineDiscount', 'unitDiscount', 'netPrice']).default('unambiguous'),
    payments: paymentsSchema.default(paymentsSchema.parse({})),
    exportRefunds: z.boolean().default(false),
    shopTimezone: timeZoneName.default('Europe/London'),
    notifyEveryMinutes: z.number().int('whole minutes').min(1, 'at least 1 minute').max(1440, 'at most a day (1440)').default(60),
    notifyEmailTo: z.array(emailAddress).max(20, 'at most 20 recipients').default([]),
    notifyEmailFrom: z.union([z.literal(''), emailAddress]).default(''),
    notifySmtpHost: hostName.default(''),
    notifySmtpPort: z.number().int().min(1, 'a port 1-65535').max(65535, 'a port 1-65535').default(587),
    notifySmtpSecurity: z.enum(['starttls', 'tls', 'none']).default('starttls'),
    notifySmtpUser: z.string().trim().max(255).default(''),
    notifyLinkBaseUrl: pageUrl.default(''),
  })
  .strict()
  .superRefine((doc, ctx) => {
    checkTaxCodesHaveRates(doc.taxCodes, doc.sageTaxRates, ctx);
    if (doc.notifyEmailTo.length > 0) {
      for (const key of ['notifySmtpHost', 'notifyEmailFrom'] as const) {
        if (doc[key] === '') ctx.addIssue({ code: 'custom', path: [key], message: 'needed to email notifications (notifyEmailTo is set)' });
      }
    }
    const patternIsSafe = accountCodePatternProblems(doc.accountCodePattern).length === 0;
    if (doc.defaultAccountCode && patternIsSafe && !accountCodePattern(doc.accountCodePattern).test(doc.defaultAccountCode)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultAccountCode'],
        message: `"${doc.defaultAccountCode}" does not match accountCodePattern ${doc.accountCodePattern}`,
      });
    }
  });

/** Every T-code the mapping can produce needs its Sage rate, and a percentage must map to a code of that rate. */
function checkTaxCodesHaveRates(
  taxCodes: z.output<typeof taxCodesSchema>,
  rates: Record<string, string>,
  ctx: z.core.$RefinementCtx,
): void {
  const used: Array<[string[], number]> = [[['taxCodes', 'untaxed'], taxCodes.untaxed]];
  for (const group of ['byRateId', 'byClass', 'byPercent'] as const) {
    for (const [key, code] of Object.entries(taxCodes[group])) used.push([['taxCodes', group, key], code]);
  }
  for (const [path, code] of used) {
    if (rates[String(code)] === undefined) {
      ctx.addIssue({ code: 'custom', path, message: `T${code} has no rate in sageTaxRates; add "${code}": "<percent>"` });
    }
  }
  for (const [percent, code] of Object.entries(taxCodes.byPercent)) {
    const rate = rates[String(code)];
    if (rate !== undefined && Number(rate) !== Number(percent)) {
      ctx.addIssue({
        code: 'custom',
        path: ['taxCodes', 'byPercent', percent],
        message: `${percent}% is mapped to T${code}, whose Sage rate is ${rate}% (sageTaxRates)`,
      });
    }
  }
}

export type Settings = z.output<typeof settingsSchema>;
export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(settingsSchema.parse({})) as SettingKey[];

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(settingsSchema.parse({}));

/** What each key accepts, for error messages and `settings get --help`. */
export const SETTING_HELP: Record<SettingKey, string> = {
  defaultAccountCode: 'a Sage account code (up to 8 characters) used when no other rule applies, or "" for none',
  searchSageByEmail: 'true or false: match the billing email against Sage accounts',
  createAccounts: 'true or false: create a new Sage account when nothing matched',
  createAccountsForLoggedInOnly: 'true or false: create accounts only for buyers logged in when they ordered',
  profileMetaKey: 'the customer/order meta key that holds a Sage account code',
  onAmbiguousEmail: '"hold" or "first": what to do when an email matches several Sage accounts',
  requireKnownProfileCode: 'true or false: hold orders whose profile code is not a known Sage account',
  accountCodePattern: `a regular expression every account code (at most 8 characters) must match; at most ${MAX_PATTERN_LENGTH} characters, without nested repetition, back-references or lookaround`,
  importStatuses: 'a JSON array of WooCommerce statuses, e.g. ["processing","completed"]',
  settleMinutes: 'whole minutes an order must stay unchanged before export (0-10080)',
  pollSchedule: 'a cron expression, e.g. "*/5 * * * *"',
  taxCodes: 'a JSON object {byRateId, byClass, byPercent, untaxed} mapping WooCommerce tax to Sage T-codes',
  nominalCodes: 'a JSON object {default, carriage, fees, rounding, bySku, byCategory} of nominal codes',
  writeBackNewCodes: 'true or false: write newly created account codes back to the WooCommerce customer',
  sageTaxRates: 'a JSON object of Sage tax code → rate as set up in Sage, e.g. {"0":"0","1":"20","2":"0","5":"5","9":"0"}',
  missingSku: '"default" (use defaultSku) or "hold": what to do with an order line that has no SKU',
  defaultSku: 'the Sage product code (up to 30 characters) for lines without a SKU, fees, extra shipping and rounding, e.g. "S1"',
  couponDiscountAs:
    '"unambiguous" (UnitDiscountAmount only on single units, where per-unit and per-line readings agree; other lines at their discounted price), "lineDiscount" (UnitDiscountAmount is the line\'s whole discount), "unitDiscount" (per unit) or "netPrice" (discounted UnitPrice, no discount field)',
  payments: 'a JSON object {record, type ("SalesReceipt"|"PaymentAlreadyReceived"), bankAccount, byMethod} for paid orders',
  notifyEveryMinutes: 'whole minutes (1-1440): notifications about held, failed and changed orders go out as one digest at most this often',
  notifyEmailTo: 'a JSON array of email addresses that get the digests, e.g. ["support@example.com"]; [] sends no email',
  notifyEmailFrom: 'the sender address of the digest emails, e.g. woo-sage@example.com',
  notifySmtpHost: 'the SMTP server that sends the digest emails, e.g. smtp.example.com (its password: SMTP_PASSWORD)',
  notifySmtpPort: 'the SMTP server port, e.g. 587 (STARTTLS) or 465 (TLS)',
  notifySmtpSecurity:
    '"starttls" (upgrade to TLS, required), "tls" (TLS from the start, port 465) or "none" (a relay on this machine only)',
  notifySmtpUser: 'the SMTP user name, or "" when the server needs no login',
  notifyLinkBaseUrl: 'the address people open this admin page at, e.g. https://woo-sage.example.com; the digests link each order there',
  exportRefunds:
    'true or false: export each WooCommerce refund of an exported order as a Sage credit note (Invoice of type ProductCredit, Id = the refund id); a refund that cannot be credited to the penny is held for a person',
  shopTimezone:
    'the shop\'s IANA time zone, as set in WordPress (Settings → General → Timezone), e.g. "Europe/London": the admin page shows times in it',
};
