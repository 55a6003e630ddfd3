import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_DATABASE_URL, describeDatabaseUrl, parseDatabaseUrl } from '../src/db/database-url.ts';
import { redactText } from '../src/log/redact-text.ts';
import { ConfigError } from './config-error.ts';

// Defined on its own so the CLI's entry can recognise it without loading zod.
export { ConfigError };

/** Environment as the product reads it. Only this module touches `process.env`. */
export interface AppConfig {
  readonly databaseUrl: string;
  readonly wooUrl: string | undefined;
  readonly wooConsumerKey: string | undefined;
  readonly wooConsumerSecret: string | undefined;
  readonly outboxDir: string;
  /** Permissions of the files (default 0640) and folders (0750) written into OUTBOX_DIR. */
  readonly outboxModes: { readonly file: number; readonly dir: number };
  readonly port: number;
  /** The address the admin HTTP server binds to; undefined: every interface. */
  readonly host: string | undefined;
  readonly adminPassword: string | undefined;
  /** How long a sync's lease lasts without renewal: how soon another instance takes over from a dead one. */
  readonly syncLeaseSeconds: number;
  /** The secret of the store's order webhooks; without it the webhook endpoint refuses every call. */
  readonly wooWebhookSecret: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** JSON lines, plain words, or auto: words for a command run at a terminal, JSON for `serve` and pipes. */
  readonly logFormat: 'auto' | 'json' | 'text';
  /** The password of settings.notifySmtpUser on settings.notifySmtpHost. */
  readonly smtpPassword: string | undefined;
  /** A Slack-style incoming webhook for the notification digests: a secret (whoever holds it can post). */
  readonly notifyWebhookUrl: string | undefined;
  /** express "trust proxy": false, a hop count, or addresses/subnets of the reverse proxies. */
  readonly trustProxy: false | number | string;
}

const optionalText = z
  .string()
  .transform((v) => v.trim())
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** An octal permission such as 0640; never writable by others (the files hold buyers' addresses). */
const octalMode = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const value = v.trim();
      const mode = /^0?[0-7]{3}$/.test(value) ? parseInt(value, 8) : NaN;
      if (Number.isNaN(mode) || (mode & 0o002) !== 0) {
        ctx.addIssue({
          code: 'custom',
          message: `expected an octal mode such as ${fallback} or 0${(parseInt(fallback, 8) | 0o020).toString(8)}, not writable by others`,
        });
        return z.NEVER;
      }
      return mode;
    });

const schema = z.object({
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .superRefine((value, ctx) => {
      try {
        parseDatabaseUrl(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    }),
  WOO_URL: optionalText.pipe(
    z.url({ protocol: /^https?$/, message: 'expected the store address, e.g. https://shop.example.com' }).optional(),
  ),
  WOO_CONSUMER_KEY: optionalText,
  WOO_CONSUMER_SECRET: optionalText,
  OUTBOX_DIR: z.string().min(1, 'must not be empty').default('./outbox'),
  OUTBOX_FILE_MODE: octalMode('0640'),
  OUTBOX_DIR_MODE: octalMode('0750'),
  PORT: z.coerce
    .number({ message: 'expected a port number 1-65535' })
    .int('expected a whole port number 1-65535')
    .min(1, 'expected a port number 1-65535')
    .max(65535, 'expected a port number 1-65535')
    .default(8080),
  HOST: optionalText.pipe(
    z
      .string()
      .refine(
        (v) => isIP(v) > 0 || /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(v),
        'expected an address to bind to, e.g. 127.0.0.1, ::1, 0.0.0.0 or localhost',
      )
      .optional(),
  ),
  ADMIN_PASSWORD: optionalText,
  WOO_WEBHOOK_SECRET: optionalText,
  SYNC_LEASE_SECONDS: z.coerce
    .number({ message: 'expected whole seconds 5-3600' })
    .int('expected whole seconds 5-3600')
    .min(5, 'expected whole seconds 5-3600')
    .max(3600, 'expected whole seconds 5-3600')
    .default(600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_PASSWORD: optionalText,
  NOTIFY_WEBHOOK_URL: optionalText.pipe(
    z.url({ protocol: /^https?$/, message: 'expected the https:// address of an incoming webhook (Slack, Teams, Mattermost…)' }).optional(),
  ),
  LOG_FORMAT: z.enum(['auto', 'json', 'text'], { message: 'expected auto, json or text' }).default('auto'),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => {
      const value = v.trim();
      if (value === '' || value === 'false') return false;
      if (/^\d{1,2}$/.test(value)) return Number(value);
      // Trusting every proxy ("true") would let any client forge its address past the login limit.
      const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
      const ok = value.split(',').every((part) => {
        const p = part.trim();
        const [address, bits, extra] = p.split('/');
        return named.has(p) || (extra === undefined && isIP(address ?? '') > 0 && (bits === undefined || /^\d{1,3}$/.test(bits)));
      });
      if (!ok) {
        ctx.addIssue({ code: 'custom', message: 'expected false, a hop count (1), or proxy addresses/subnets (loopback, 10.0.0.0/8, …)' });
        return z.NEVER;
      }
      return value;
    }),
});

/** Every variable the product reads (config/example.env lists each one; its test checks). */
export const ENV_VARIABLES: readonly string[] = Object.keys(schema.shape);

const SECRET_VARIABLES = new Set([
  'WOO_CONSUMER_KEY',
  'WOO_CONSUMER_SECRET',
  'ADMIN_PASSWORD',
  'WOO_WEBHOOK_SECRET',
  'SMTP_PASSWORD',
  'NOTIFY_WEBHOOK_URL',
]);

/** Shows a rejected value without leaking a secret: secrets are never echoed, URLs lose their password. */
function displayValue(variable: string, value: unknown): string {
  if (SECRET_VARIABLES.has(variable)) return '(hidden)';
  if (typeof value !== 'string') return String(value);
  if (variable === 'DATABASE_URL') return JSON.stringify(describeDatabaseUrl(value));
  // A store address may have the keys written into it (user:pass@ or ?consumer_key=…).
  const shown = variable === 'WOO_URL' ? redactText(value) : value;
  return JSON.stringify(shown.length > 80 ? `${shown.slice(0, 80)}…` : shown);
}

/**
 * Parses and freezes the configuration. Throws ConfigError with one line per bad variable,
 * each naming the variable, what was wrong and (never for secrets) the value given.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = new Map<string, string>();
    for (const issue of result.error.issues) {
      const variable = String(issue.path[0] ?? 'environment');
      if (lines.has(variable)) continue;
      const given = env[variable];
      const shown = given === undefined ? '' : ` (got ${displayValue(variable, given)})`;
      lines.set(variable, `${variable}: ${issue.message}${shown}`);
    }
    throw new ConfigError([...lines.values()]);
  }
  const v = result.data;
  return Object.freeze({
    databaseUrl: v.DATABASE_URL,
    wooUrl: v.WOO_URL,
    wooConsumerKey: v.WOO_CONSUMER_KEY,
    wooConsumerSecret: v.WOO_CONSUMER_SECRET,
    outboxDir: v.OUTBOX_DIR,
    outboxModes: Object.freeze({ file: v.OUTBOX_FILE_MODE, dir: v.OUTBOX_DIR_MODE }),
    port: v.PORT,
    host: v.HOST,
    adminPassword: v.ADMIN_PASSWORD,
    wooWebhookSecret: v.WOO_WEBHOOK_SECRET,
    syncLeaseSeconds: v.SYNC_LEASE_SECONDS,
    logLevel: v.LOG_LEVEL,
    logFormat: v.LOG_FORMAT,
    trustProxy: v.TRUST_PROXY,
    smtpPassword: v.SMTP_PASSWORD,
    notifyWebhookUrl: v.NOTIFY_WEBHOOK_URL,
  });
}

export interface StoreConfig {
  readonly url: string;
  readonly consumerKey: string;
  readonly consumerSecret: string;
}

/** The store connection, for the commands that need one (`sync`, `serve`). */
export function requireStoreConfig(config: AppConfig): StoreConfig {
  const missing = [
    ['WOO_URL', config.wooUrl],
    ['WOO_CONSUMER_KEY', config.wooConsumerKey],
    ['WOO_CONSUMER_SECRET', config.wooConsumerSecret],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => `${name}: required to talk to the store (see README, "Point it at a real store")`);
  if (missing.length > 0) throw new ConfigError(missing);
  return Object.freeze({
    url: config.wooUrl!,
    consumerKey: config.wooConsumerKey!,
    consumerSecret: config.wooConsumerSecret!,
  });
}
