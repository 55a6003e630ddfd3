import { ValidationError } from '../domain/errors.ts';
import { configuredChannels, type ChannelName, type ChannelSecrets } from '../notify/channels.ts';
import { testMessage } from '../notify/digest-text.ts';
import type { Settings } from '../settings/schema.ts';

export interface TestNotificationResult {
  channel: ChannelName;
  ok: boolean;
  /** Why it was not sent (never a secret). */
  error?: string;
}

/** Sends a test message on every channel set up now, each on its own; throws when none is. */
export async function sendTestNotification(settings: Settings, secrets: ChannelSecrets): Promise<TestNotificationResult[]> {
  const channels = configuredChannels(settings, secrets);
  if (channels.length === 0) {
    throw new ValidationError(
      'no notification channel is set up: set notifyEmailTo (with notifySmtpHost and notifyEmailFrom) in the settings, or NOTIFY_WEBHOOK_URL in the environment',
    );
  }
  const message = testMessage(settings.notifyLinkBaseUrl);
  return Promise.all(
    channels.map(async (channel): Promise<TestNotificationResult> => {
      try {
        await channel.send(message);
        return { channel: channel.name, ok: true };
      } catch (err) {
        return { channel: channel.name, ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}
