import type { Command } from 'commander';
import { newWorkerId } from '../../db/leases.ts';
import type { ChannelSecrets } from '../../notify/channels.ts';
import { runNotifications } from '../../pipeline/notify-problems.ts';
import { sendTestNotification } from '../../pipeline/send-test-notification.ts';
import { getSettings } from '../../settings/store.ts';
import { withContext, type CliIo } from '../context.ts';
import { CliExit, EXIT_FAILED } from '../exit-codes.ts';

function secretsOf(config: { smtpPassword?: string; notifyWebhookUrl?: string }): ChannelSecrets {
  return { smtpPassword: config.smtpPassword, notifyWebhookUrl: config.notifyWebhookUrl };
}

export function registerNotify(program: Command, io: CliIo): void {
  const notify = program
    .command('notify')
    .description('notifications of held, failed and changed orders, by email (notifySmtp* settings) and/or NOTIFY_WEBHOOK_URL');

  notify
    .command('test')
    .description('send a test message on every channel set up now; exit 1 if one of them failed')
    .option('--json', 'print the result of each channel as JSON')
    .action(async (options: { json?: boolean }) => {
      await withContext(io, async ({ db, config }) => {
        const results = await sendTestNotification(await getSettings(db), secretsOf(config));
        if (options.json) io.out(JSON.stringify({ results }));
        else for (const r of results) io.out(r.ok ? `${r.channel}: test message sent` : `${r.channel}: NOT sent: ${r.error}`);
        if (results.some((r) => !r.ok)) throw new CliExit(EXIT_FAILED);
      });
    });

  notify
    .command('run')
    .description(
      'send a digest of new order problems now if one is due (notifyEveryMinutes), and retry digests not yet sent; `serve` does this every minute',
    )
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      await withContext(io, async ({ db, config, clock, logger }) => {
        const report = await runNotifications({ db, clock, logger, secrets: secretsOf(config), owner: newWorkerId() });
        if (options.json) io.out(JSON.stringify(report));
        else if (report.skipped === 'another-instance') io.out('another instance is sending notifications right now; nothing done');
        else if (report.skipped === 'no-channel' && report.sent.length === 0 && report.failed.length === 0)
          io.out('no notification channel is set up (notifyEmailTo, or NOTIFY_WEBHOOK_URL); nothing sent');
        else {
          io.out(
            report.digest
              ? `digest ${report.digest.id} written: ${report.digest.problems} new problem(s)`
              : 'no digest due, or nothing new to tell',
          );
          for (const s of report.sent) io.out(`  digest ${s.digestId} sent by ${s.channel}`);
          for (const f of report.failed)
            io.out(
              `  digest ${f.digestId} NOT sent by ${f.channel}: ${f.error}${f.retryAt ? `; tried again after ${f.retryAt}` : '; given up'}`,
            );
        }
        if (report.failed.length > 0) throw new CliExit(EXIT_FAILED);
      });
    });
}
