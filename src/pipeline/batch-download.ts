import type { Knex } from 'knex';
import { findBatch } from '../db/export-batches.ts';
import { listJobsOfBatch } from '../db/export-jobs.ts';
import { NotFoundError } from '../domain/errors.ts';
import { wrapCompany } from '../sage/company-xml.ts';
import { batchFiles } from './deliver-to-folder.ts';

export interface BatchDownload {
  fileName: string;
  xml: string;
}

/**
 * A batch's documents as files a person can hand to the importer (or keep): rebuilt from the
 * database, which keeps every document as it was delivered, so the download works after the
 * importer has taken the files from OUTBOX_DIR. Without `file`: one Company document with the
 * Customers first, then the SalesOrders (the same as the HTTP pull sends); with `file`: that one of
 * the batch's files (`…-customers.xml`, `…-sales-orders.xml`), byte for byte as delivered.
 */
export async function batchDownload(db: Knex, batchId: number, file?: string): Promise<BatchDownload> {
  const batch = await findBatch(db, batchId);
  if (!batch) throw new NotFoundError(`there is no export batch ${batchId}`, { batchId });
  const jobs = (await listJobsOfBatch(db, batchId)).filter((j) => j.kind === 'customer' || j.kind === 'sales_order');
  if (jobs.length === 0) {
    throw new NotFoundError(`batch ${batch.name} holds no documents any more (they were reprocessed into later batches)`, { batchId });
  }
  const files = batchFiles(batch, jobs);
  if (file !== undefined) {
    const match = files.find((f) => f.name === file);
    if (!match) {
      throw new NotFoundError(
        `batch ${batch.name} has no file ${file.slice(0, 100)}; its files are ${files.map((f) => f.name).join(', ')}`,
        {
          batchId,
          files: files.map((f) => f.name),
        },
      );
    }
    return { fileName: match.name, xml: match.content };
  }
  return {
    fileName: `${batch.name}.xml`,
    xml: wrapCompany({
      customers: jobs.filter((j) => j.kind === 'customer').map((j) => j.document),
      salesOrders: jobs.filter((j) => j.kind === 'sales_order').map((j) => j.document),
    }),
  };
}
