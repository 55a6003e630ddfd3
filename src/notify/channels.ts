import nodemailer from 'nodemailer';
import { redactText } from '../log/redact-text.ts';
import type { Settings } from '../settings/schema.ts';
import type { DigestText } from './digest-text.ts';

export type ChannelName = 'email' | 'webhook';

/** One way of telling people; send() resolves once the message was accepted, or throws saying why. */
export interface NotificationChannel {
  name: ChannelName;
  send(message: DigestText): Promise<void>;
}

/** The secrets of the channels, which come from the environment (config/env.ts), never from settings. */
export interface ChannelSecrets {
  smtpPassword?: string;
  notifyWebhookUrl?: string;
}

const SEND_TIMEOUT_MS = 20_000;

/**
 * An error of a channel in words that can be logged, stored and shown: never the webhook's address
 * (it is the credential), the SMTP password or a URL's userinfo.
 */
export class ChannelError extends Error {
  constructor(channel: ChannelName, message: string, secrets: ChannelSecrets) {
    super(`${channel}: ${redactText(message, [secrets.smtpPassword, secrets.notifyWebhookUrl]).slice(0, 500)}`);
    this.name = 'ChannelError';
  }
}

function emailChannel(settings: Settings, secrets: ChannelSecrets): NotificationChannel {
  const security = settings.notifySmtpSecurity;
  const transport = nodemailer.createTransport({
    host: settings.notifySmtpHost,
    port: settings.notifySmtpPort,
    secure: security === 'tls',
    requireTLS: security === 'starttls',
    ignoreTLS: security === 'none',
    auth: settings.notifySmtpUser ? { user: settings.notifySmtpUser, pass: secrets.smtpPassword ?? '' } : undefined,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    name: 'email',
    async send(message) {
      try {
        await transport.sendMail({
          from: settings.notifyEmailFrom,
          to: settings.notifyEmailTo,
          subject: message.subject,
          text: message.body,
        });
      } catch (err) {
        const e = err as { code?: string; message?: string };
        throw new ChannelError(
          'email',
          `${settings.notifySmtpHost}:${settings.notifySmtpPort} ${e.code ?? ''} ${e.message ?? String(err)}`.replace(/\s+/g, ' '),
          secrets,
        );
      } finally {
        transport.close();
      }
    },
  };
}

function webhookChannel(url: string, secrets: ChannelSecrets): NotificationChannel {
  return {
    name: 'webhook',
    async send(message) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: message.webhookText }),
          redirect: 'error',
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        const why = cause?.code ?? cause?.message ?? (err as Error).name;
        throw new ChannelError('webhook', `could not reach the webhook (${why})`, secrets);
      }
      const said = (await response.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 200);
      if (!response.ok)
        throw new ChannelError('webhook', `the webhook answered HTTP ${response.status}${said ? `: ${said}` : ''}`, secrets);
    },
  };
}

/** The channels the settings and environment set up: email when there are recipients, the webhook when its URL is set. */
export function configuredChannels(settings: Settings, secrets: ChannelSecrets): NotificationChannel[] {
  const channels: NotificationChannel[] = [];
  if (settings.notifyEmailTo.length > 0) channels.push(emailChannel(settings, secrets));
  if (secrets.notifyWebhookUrl) channels.push(webhookChannel(secrets.notifyWebhookUrl, secrets));
  return channels;
}
