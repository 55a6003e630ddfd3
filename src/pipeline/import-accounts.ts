import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import {
  countUnseenActive,
  deactivateUnseen,
  finishImport,
  startImport,
  upsertImportedBatch,
  type ImportedAccount,
  type ImportedClash,
} from '../db/account-import-store.ts';
import { holdForClashes, type ClashReport } from './account-clashes.ts';
import { recordAudit } from '../db/audit-log.ts';
import { normaliseAccountCode } from '../domain/allocation/normalise.ts';
import type { Clock } from '../domain/clock.ts';
import { AppError, ValidationError } from '../domain/errors.ts';
import { CustomerExportError, readCustomerExport, type SageCustomerRecord } from '../sage/customer-export-reader.ts';

export interface ImportAccountsOptions {
  /** An "all customers" export: active accounts missing from it are marked inactive. */
  all: boolean;
  /** Lets a full export deactivate more than half of the active accounts. */
  force?: boolean;
  fileName: string;
  actor: string;
  clock: Clock;
  batchSize?: number;
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
  skipped: { line: number; reason: string }[];
  warnings: string[];
  /** Codes Sage uses for another customer than the one woo-sage created them for: neither was overwritten. */
  clashes: ClashReport[];
}

/** The export could not be used; nothing was imported. */
export class AccountImportRejected extends AppError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('ACCOUNT_IMPORT_REJECTED', message, 400, details);
  }
}

const MAX_CODE_LENGTH = 32; // the column; Sage itself allows 8

/**
 * Loads a Sage customer export into the account mirror in one transaction: the file is parsed as
 * it streams in and written in batches, and any problem (malformed XML, a refused DOCTYPE) rolls
 * everything back, so the mirror is never half-imported.
 */
export async function importAccounts(
  db: Knex,
  source: AsyncIterable<Uint8Array | string>,
  options: ImportAccountsOptions,
): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 500;
  const at = options.clock.now();
  try {
    return await db.transaction(async (trx) => {
      const kind = options.all ? 'all' : 'partial';
      const importId = await startImport(trx, { fileName: options.fileName, kind, actor: options.actor, at });
      const summary: ImportSummary = {
        importId,
        file: options.fileName,
        kind,
        customers: 0,
        created: 0,
        updated: 0,
        confirmed: 0,
        reactivated: 0,
        deactivated: 0,
        emails: 0,
        skipped: [],
        warnings: [],
        clashes: [],
      };
      const clashes: ImportedClash[] = [];
      const seenAt = new Map<string, number>();
      let batch: ImportedAccount[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const counts = await upsertImportedBatch(trx, batch, importId, at);
        summary.created += counts.created;
        summary.updated += counts.updated;
        summary.confirmed += counts.confirmed;
        summary.reactivated += counts.reactivated;
        summary.emails += counts.emails;
        summary.warnings.push(...counts.warnings);
        clashes.push(...counts.clashes);
        batch = [];
      };

      const read = await readCustomerExport(source, async (record: SageCustomerRecord) => {
        summary.warnings.push(...record.warnings);
        const code = record.accountReference ? normaliseAccountCode(record.accountReference) : '';
        if (!code) return void summary.skipped.push({ line: record.line, reason: 'no AccountReference' });
        if (code.length > MAX_CODE_LENGTH) {
          return void summary.skipped.push({ line: record.line, reason: `AccountReference "${code.slice(0, 40)}…" is too long` });
        }
        if (record.tooLong) {
          // Refused, but listed: a full export must not mark the account inactive for it.
          await trx('sage_accounts').where({ code }).update({ last_import_id: importId });
          return void summary.skipped.push({
            line: record.line,
            reason: `${code}: ${record.tooLong}; the record is refused (the account keeps what was imported before)`,
          });
        }
        const earlier = seenAt.get(code);
        if (earlier !== undefined)
          summary.warnings.push(`${code} appears more than once (lines ${earlier} and ${record.line}); the later one is kept.`);
        seenAt.set(code, record.line);
        // Two records with one code in a batch would be one upsert row twice; the later one wins.
        const index = batch.findIndex((a) => a.code === code);
        if (index >= 0) batch.splice(index, 1);
        else if (earlier === undefined) summary.customers++;
        batch.push({
          code,
          name: record.companyName ?? record.contactName,
          emails: record.emails,
          details: record.details,
          line: record.line,
        });
        if (batch.length >= batchSize) await flush();
      });
      summary.warnings.push(...read.warnings);
      await flush();
      summary.clashes = await holdForClashes(trx, clashes, at);

      if (options.all) {
        if (summary.customers === 0) {
          throw new AccountImportRejected(
            'an "all customers" export with no customers would mark every account inactive; nothing was imported',
          );
        }
        const { unseen, active } = await countUnseenActive(trx, importId);
        if (!options.force && unseen > 10 && unseen * 2 > active) {
          throw new AccountImportRejected(
            `this export would mark ${unseen} of ${active} active accounts inactive, which looks like a partial export; nothing was imported (use --force if it really lists all customers)`,
            { unseen, active },
          );
        }
        summary.deactivated = await deactivateUnseen(trx, importId, at);
      }
      const finishedAt = options.clock.now();
      await finishImport(
        trx,
        importId,
        {
          customers: summary.customers,
          created: summary.created,
          updated: summary.updated,
          confirmed: summary.confirmed,
          reactivated: summary.reactivated,
          deactivated: summary.deactivated,
          skipped: summary.skipped.length,
        },
        finishedAt,
      );
      await recordAudit(trx, {
        at: finishedAt,
        actor: options.actor,
        action: 'accounts.import',
        subject: `account_imports.${importId}`,
        details: {
          ...summary,
          skipped: summary.skipped.slice(0, 20),
          warnings: summary.warnings.slice(0, 20),
          clashes: summary.clashes.slice(0, 50),
        },
      });
      return summary;
    });
  } catch (err) {
    if (err instanceof CustomerExportError) {
      throw new AccountImportRejected(`${options.fileName}: ${err.message}; nothing was imported`, { line: err.line, column: err.column });
    }
    throw err;
  }
}

export async function importAccountsFile(db: Knex, file: string, options: Omit<ImportAccountsOptions, 'fileName'>): Promise<ImportSummary> {
  let stream: fs.ReadStream;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
    stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  } catch {
    throw new ValidationError(`${file}: the file cannot be read`, { file });
  }
  return importAccounts(db, stream, { ...options, fileName: path.basename(file) });
}
