import type { Command } from 'commander';
import os from 'node:os';
import { requireStoreConfig } from '../../../config/env.ts';
import { describeAccount } from '../../db/account-mirror.ts';
import { listEmailLinks } from '../../db/manual-accounts.ts';
import { confirmSageHasNoCustomers } from '../../db/sage-accounts-known.ts';
import { recodeAccount } from '../../pipeline/account-clashes.ts';
import { forgetEmailLink } from '../../pipeline/assign-account.ts';
import type { LinkStatus } from '../../db/customer-links.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { importAccountsFile, type ImportSummary } from '../../pipeline/import-accounts.ts';
import { linkCustomer, listCustomerLinks, type LinkResult } from '../../pipeline/link-customer.ts';
import { writeBackNewCodes } from '../../pipeline/write-back-new-codes.ts';
import { createWooClient } from '../../woo/client.ts';
import { withContext, type CliIo } from '../context.ts';

const cliActor = () => `cli:${os.userInfo().username}`;
const LINK_STATUSES: LinkStatus[] = ['linked', 'unlinked', 'conflicting'];

function customerIdOf(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) <= 0)
    throw new ValidationError(`CUSTOMER_ID must be a WooCommerce customer id such as 26, got "${text}"`);
  return Number(text);
}

export function registerAccounts(program: Command, io: CliIo): void {
  const accounts = program
    .command('accounts')
    .description('the Sage account mirror and the links between WooCommerce customers and Sage accounts');

  accounts
    .command('import [file]')
    .description(
      'load a Sage customer export (Customer XML) into the account mirror; all or nothing. No new account is created before this (or --empty)',
    )
    .option('--all', 'the file is an "all customers" export: accounts missing from it are marked inactive')
    .option('--force', 'with --all, allow marking more than half of the active accounts inactive')
    .option('--empty', 'no file: confirm that Sage has no customer accounts yet, so new accounts may be created (audited)')
    .option('--json', 'print the summary as JSON')
    .option('--actor <name>', 'who is importing (recorded in the audit log)', cliActor())
    .action(
      async (file: string | undefined, options: { all?: boolean; force?: boolean; empty?: boolean; json?: boolean; actor: string }) => {
        if (options.empty && (file || options.all || options.force)) {
          throw new ValidationError('--empty takes no FILE, --all or --force: it says Sage has no customers at all');
        }
        if (!options.empty && !file)
          throw new ValidationError('FILE is required: the Sage customer export (or --empty if Sage has no customers yet)');
        if (options.empty) {
          return withContext(io, async ({ db, clock }) => {
            const importId = await confirmSageHasNoCustomers(db, { actor: options.actor, at: clock.now() });
            io.out(
              options.json
                ? JSON.stringify({ importId, sageAccountsKnown: true })
                : 'recorded: Sage has no customer accounts yet; new accounts will be created from the next sync (audited)',
            );
          });
        }
        await withContext(io, async ({ db, clock }) => {
          if (!file) return;
          const summary = await importAccountsFile(db, file, {
            all: options.all === true,
            force: options.force === true,
            actor: options.actor,
            clock,
          });
          io.out(options.json ? JSON.stringify(summary, null, 2) : describeImport(summary));
        });
      },
    );

  accounts
    .command('link <customerId> <code>')
    .description("link a WooCommerce customer to a Sage account: writes the code to the customer's profile (needs WOO_URL and keys)")
    .option('--allow-unknown', 'accept a code the mirror does not know yet (e.g. created in Sage today)')
    .option('--json', 'print the result as JSON')
    .option('--actor <name>', 'who is linking (recorded in the audit log)', cliActor())
    .action(async (customerId: string, code: string, options: { allowUnknown?: boolean; json?: boolean; actor: string }) => {
      const id = customerIdOf(customerId);
      if (!code.trim()) throw new ValidationError('CODE must not be empty; use "accounts unlink" to remove a link');
      await withContext(io, async ({ db, config, clock, logger }) => {
        const writer = createWooClient(requireStoreConfig(config), { logger });
        const result = await linkCustomer(
          db,
          { customerId: id, code, actor: options.actor, allowUnknown: options.allowUnknown, clock },
          writer,
        );
        io.out(options.json ? JSON.stringify(result, null, 2) : describeLink(result));
      });
    });

  accounts
    .command('unlink <customerId>')
    .description("remove the Sage account code from a WooCommerce customer's profile")
    .option('--actor <name>', 'who is unlinking (recorded in the audit log)', cliActor())
    .action(async (customerId: string, options: { actor: string }) => {
      const id = customerIdOf(customerId);
      await withContext(io, async ({ db, config, clock, logger }) => {
        const writer = createWooClient(requireStoreConfig(config), { logger });
        const result = await linkCustomer(db, { customerId: id, code: '', actor: options.actor, clock }, writer);
        io.out(describeLink(result));
      });
    });

  accounts
    .command('links')
    .description('WooCommerce customers and their Sage accounts: linked, unlinked or conflicting')
    .option('--status <status>', `only ${LINK_STATUSES.join(' | ')}`)
    .option('--search <text>', 'email, code, surname or company containing TEXT')
    .option('--limit <n>', 'at most N rows', '100')
    .option('--offset <n>', 'skip the first N rows', '0')
    .option('--json', 'print {total, rows} as JSON')
    .action(async (options: { status?: string; search?: string; limit: string; offset: string; json?: boolean }) => {
      if (options.status && !LINK_STATUSES.includes(options.status as LinkStatus)) {
        throw new ValidationError(`--status must be one of ${LINK_STATUSES.join(', ')}, got "${options.status}"`);
      }
      const limit = Number(options.limit);
      const offset = Number(options.offset);
      if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) {
        throw new ValidationError('--limit must be a whole number from 1 and --offset from 0');
      }
      await withContext(io, async ({ db }) => {
        const page = await listCustomerLinks(db, {
          status: options.status as LinkStatus | undefined,
          search: options.search,
          limit,
          offset,
        });
        if (options.json) return io.out(JSON.stringify(page, null, 2));
        io.out(`${page.total} customer(s)${options.status ? ` ${options.status}` : ''}; showing ${page.rows.length}`);
        for (const row of page.rows) {
          const note =
            row.problem ?? (row.status === 'unlinked' && row.emailMatches.length ? `email matches ${row.emailMatches.join(', ')}` : '');
          io.out(`${row.customerId}\t${row.status}\t${row.profileCode ?? '-'}\t${row.email ?? '-'}\t${note}`);
        }
      });
    });

  accounts
    .command('email-links')
    .description('billing emails whose later orders get an account a person chose (orders assign --remember-email)')
    .option('--search <text>', 'part of the email, or the account code')
    .option('--json', 'print {total, links} as JSON')
    .action(async (options: { search?: string; json?: boolean }) => {
      await withContext(io, async ({ db }) => {
        const page = await listEmailLinks(db, { search: options.search, limit: 1000 });
        if (options.json) return io.out(JSON.stringify(page, null, 2));
        io.out(`${page.total} remembered email link(s)${page.total > page.links.length ? `; showing ${page.links.length}` : ''}`);
        for (const link of page.links) {
          io.out(
            `${link.email}\t${link.accountCode}\tby ${link.actor} ${link.createdAt}${link.fromOrderId ? ` from order ${link.fromOrderId}` : ''}${link.reason ? `: ${link.reason}` : ''}`,
          );
        }
      });
    });

  accounts
    .command('forget-email <email>')
    .description('remove a remembered email link: later orders from the email are decided by the rules again (audited)')
    .option('--actor <name>', 'who is removing it (recorded in the audit log)', cliActor())
    .action(async (email: string, options: { actor: string }) => {
      await withContext(io, async ({ db, clock }) => {
        const removed = await forgetEmailLink(db, { email, actor: options.actor, clock });
        io.out(`${removed.email} no longer goes to ${removed.accountCode}; later orders from it are decided by the rules again`);
      });
    });

  accounts
    .command('recode <code>')
    .description(
      "the way out of a clash: give the account woo-sage created under CODE the next free code; Sage's own account keeps CODE and the orders are queued again with the new code",
    )
    .option('--json', 'print the result as JSON')
    .option('--actor <name>', 'who is re-coding (recorded in the audit log)', cliActor())
    .action(async (code: string, options: { json?: boolean; actor: string }) => {
      await withContext(io, async ({ db, clock }) => {
        const result = await recodeAccount(db, { code, actor: options.actor, clock });
        if (options.json) return io.out(JSON.stringify(result, null, 2));
        io.out(`${result.code} re-coded: the account created here is now ${result.newCode}; ${result.code} is Sage's own account again`);
        for (const r of result.reprocessed)
          io.out(
            `  order ${r.orderId}: ${r.outcome}${r.accountCode ? ` (account ${r.accountCode})` : ''}${r.outcome === 'queued' ? '' : `: ${r.reason}`}`,
          );
        for (const line of result.instructions) io.out(`  TO DO IN SAGE: ${line}`);
      });
    });

  accounts
    .command('show <code>')
    .description('one account of the mirror: status, emails, who it was created for')
    .action(async (code: string) => {
      await withContext(io, async ({ db }) => {
        const account = await describeAccount(db, code.trim().toUpperCase());
        if (!account) throw new NotFoundError(`${code.trim().toUpperCase()} is not in the Sage account mirror`);
        io.out(JSON.stringify(account, null, 2));
      });
    });

  accounts
    .command('write-back')
    .description("write newly created account codes to the buyers' WooCommerce profiles now (writeBackNewCodes)")
    .option('--json', 'print the summary as JSON')
    .option('--actor <name>', 'recorded in the audit log', cliActor())
    .action(async (options: { json?: boolean; actor: string }) => {
      await withContext(io, async ({ db, config, clock, logger }) => {
        const writer = createWooClient(requireStoreConfig(config), { logger });
        const summary = await writeBackNewCodes(db, writer, { clock, actor: options.actor });
        if (options.json) return io.out(JSON.stringify(summary));
        if (summary.disabled) return io.out('writeBackNewCodes is off; nothing was written (woo-sage settings set writeBackNewCodes true)');
        io.out(`written ${summary.written}, retrying later ${summary.retrying}, failed ${summary.failed}, skipped ${summary.skipped}`);
      });
    });
}

function describeImport(s: ImportSummary): string {
  const lines = [
    `imported ${s.customers} customer(s) from ${s.file} (${s.kind === 'all' ? 'all customers' : 'new/modified customers'}): ` +
      `${s.created} new, ${s.updated} updated, ${s.confirmed} pending confirmed, ${s.reactivated} reactivated` +
      `${s.kind === 'all' ? `, ${s.deactivated} marked inactive` : ''}; ${s.emails} email address(es)`,
  ];
  for (const skipped of s.skipped) lines.push(`skipped the customer at line ${skipped.line}: ${skipped.reason}`);
  for (const warning of s.warnings) lines.push(`warning: ${warning}`);
  for (const c of s.clashes) {
    lines.push(
      `CLASH ${c.code}: created here for ${describeBuyer(c.created)}, but Sage's ${c.code} is ${describeBuyer(c.sage)}; neither was overwritten.` +
        `${c.heldOrders.length ? ` Held orders: ${c.heldOrders.join(' ')}.` : ''}${c.deliveredOrders.length ? ` Already in Sage under ${c.code}: ${c.deliveredOrders.join(' ')}.` : ''} Next: ${c.action}`,
    );
  }
  return lines.join('\n');
}

function describeBuyer(b: { name: string | null; emails: string[] }): string {
  return `${b.name ? JSON.stringify(b.name) : 'a customer without a name'}${b.emails.length ? ` <${b.emails.join(', ')}>` : ''}`;
}

function describeLink(r: LinkResult): string {
  const lines = [
    r.code
      ? `customer ${r.customerId} linked to ${r.code}${r.accountName ? ` (${r.accountName})` : ''}; before: ${r.previousCode ?? 'none'}`
      : `customer ${r.customerId} unlinked; before: ${r.previousCode ?? 'none'}`,
  ];
  if (!r.localProfileUpdated)
    lines.push('the customer is not in the local copy yet; the next sync will read the new code from WooCommerce');
  if (r.heldOrderIds.length > 0)
    lines.push(`held orders of this customer that reprocessing now takes further: woo-sage orders reprocess ${r.heldOrderIds.join(' ')}`);
  for (const held of r.stillHeld) {
    lines.push(
      `order ${held.orderId} stays held whatever the link: ${held.reason} (give it its account: woo-sage orders assign ${held.orderId} CODE)`,
    );
  }
  return lines.join('\n');
}
