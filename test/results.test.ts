import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { customerJobKey, findJobByKey, salesOrderJobKey } from '../src/db/export-jobs.ts';
import { listOrderEvents } from '../src/db/order-events.ts';
import { deliverToFolder } from '../src/pipeline/deliver-to-folder.ts';
import { runWooSage } from './helpers/cli.ts';
import { newAccountFor, outboxFiles, queue, seedOrder, tempOutbox, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describeEachDialect('woo-sage results', (ctx) => {
  async function deliveredNewBuyer(code: string) {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    const account = newAccountFor(seeded.order, code);
    const at = '2026-11-23T10:00:00.000Z';
    await db('sage_accounts').insert({
      code,
      name: account.details.companyName,
      status: 'pending',
      origin: 'created',
      owner_key: account.ownerKey,
      details: JSON.stringify(account.details),
      created_at: at,
      updated_at: at,
    });
    await queue(db, seeded, code, account);
    const dir = tempOutbox();
    dirs.push(dir);
    await deliverToFolder(db, { outboxDir: dir, clock: testClock() });
    return { ...seeded, account, dir };
  }

  it("when Zynk's result file says the customer went in and the order failed, then the account is confirmed and the order fails with Sage's message", async () => {
    const { db, url } = ctx();
    const { orderId, account, dir } = await deliveredNewBuyer('RES01');
    const file = path.join(dir, 'result.xml');
    fs.writeFileSync(
      file,
      `<?xml version="1.0"?><Company><Customers><Customer><Errors/><Id>${account.ownerKey.replace(':', '-')}</Id></Customer></Customers>` +
        `<SalesOrders><SalesOrder><Errors><Error><Name>Import</Name><Description>Product code SKU-1 does not exist</Description></Error></Errors><Id>${orderId}</Id></SalesOrder>` +
        `<SalesOrder><Errors/><Id>99999999</Id></SalesOrder></SalesOrders></Company>`,
    );
    const result = await runWooSage(['results', 'import', file, '--actor', 'cli:test'], { DATABASE_URL: url });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('imported 1, failed 1, unchanged 0, not matched 1');
    expect(result.stdout).toContain('not matched: 99999999: no sales order with Id 99999999 was sent');
    expect(await findJobByKey(db, customerJobKey('RES01'))).toMatchObject({ state: 'imported' });
    expect(await findJobByKey(db, salesOrderJobKey(orderId))).toMatchObject({
      state: 'failed',
      lastError: 'Import: Product code SKU-1 does not exist',
    });
    expect(await db('sage_accounts').where({ code: 'RES01' }).first()).toMatchObject({ status: 'active' });
    expect(await db('orders').where({ id: orderId }).first()).toMatchObject({
      state: 'failed',
      last_error: 'Sage import failed: Import: Product code SKU-1 does not exist',
    });
    expect((await listAudit(db, { action: 'results.import' }))[0]).toMatchObject({ actor: 'cli:test' });

    const again = await runWooSage(['results', 'import', file], { DATABASE_URL: url });
    expect(again.stdout).toContain('imported 0, failed 0, unchanged 2');
  });

  it("when one of woo-sage's own outbox files is given as results without --outcome, then it is refused in one line, exit 2, and nothing changes", async () => {
    const { db, url } = ctx();
    const { orderId, dir } = await deliveredNewBuyer('RES03');
    const audits = (await listAudit(db, { action: 'results.import' })).length;
    const before = {
      jobs: await db('export_jobs').orderBy('id').select('id', 'state'),
      order: await db('orders').where({ id: orderId }).first('state'),
    };
    for (const name of outboxFiles(dir)) {
      const result = await runWooSage(['results', 'import', path.join(dir, name)], { DATABASE_URL: url });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain("is not an importer's results file");
      expect(result.stdout).toBe('');
    }
    expect({
      jobs: await db('export_jobs').orderBy('id').select('id', 'state'),
      order: await db('orders').where({ id: orderId }).first('state'),
    }).toEqual(before);
    expect(before.order.state).toBe('delivered');
    expect(await listAudit(db, { action: 'results.import' })).toHaveLength(audits);
  });

  it("when the fail file lists an order Zynk skipped as a duplicate, then the order is imported with the importer's note, not failed", async () => {
    const { db, url } = ctx();
    const { orderId, dir } = await deliveredNewBuyer('RES04');
    const file = path.join(dir, 'fail.xml');
    fs.writeFileSync(
      file,
      `<?xml version="1.0"?><Company><SalesOrders><SalesOrder><Errors><Error><Name>Prevent Duplicates</Name><Description>Sales order ${orderId} has already been imported</Description></Error></Errors><Id>${orderId}</Id></SalesOrder></SalesOrders></Company>`,
    );
    const result = await runWooSage(['results', 'import', file, '--outcome', 'failed'], { DATABASE_URL: url });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('imported 1, failed 0');
    const note = `already in Sage (skipped by the importer as a duplicate: Prevent Duplicates: Sales order ${orderId} has already been imported)`;
    expect(await findJobByKey(db, salesOrderJobKey(orderId))).toMatchObject({ state: 'imported', resultMessage: note });
    expect(await db('orders').where({ id: orderId }).first()).toMatchObject({ state: 'imported', last_error: null });
  });

  it('when a person marks a failed order imported, then the order is imported, the change is audited and shows in its history', async () => {
    const { db, url } = ctx();
    const { orderId } = await deliveredNewBuyer('RES02');
    const failed = await runWooSage(
      ['results', 'mark', String(orderId), 'failed', '--message', 'duplicate in Sage', '--actor', 'cli:ann'],
      { DATABASE_URL: url },
    );
    expect(failed.code).toBe(0);
    expect((await db('orders').where({ id: orderId }).first()).last_error).toBe('Sage import failed: duplicate in Sage');
    const imported = await runWooSage(['results', 'mark', String(orderId), 'imported', '--actor', 'cli:ann'], { DATABASE_URL: url });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`order ${orderId}: imported`);
    expect(await db('orders').where({ id: orderId }).first()).toMatchObject({ state: 'imported', last_error: null });
    expect(await db('sage_accounts').where({ code: 'RES02' }).first()).toMatchObject({ status: 'active' });
    expect((await listOrderEvents(db, orderId)).map((e) => e.to).slice(-3)).toEqual(['delivered', 'failed', 'imported']);
    expect((await listAudit(db, { action: 'results.mark', subjectPrefix: `order.${orderId}` })).map((a) => a.after)).toEqual([
      'imported',
      'failed',
    ]);
  });

  it('when a mark names an order without a delivered sales order, then it exits 2 saying so', async () => {
    const { db, url } = ctx();
    const seeded = await seedOrder(db);
    await queue(db, seeded, 'WEBSALES');
    const notDelivered = await runWooSage(['results', 'mark', String(seeded.orderId), 'imported'], { DATABASE_URL: url });
    expect(notDelivered.code).toBe(2);
    expect(notDelivered.stderr).toContain('has not been delivered (it is queued)');
    expect((await runWooSage(['results', 'mark', '424242', 'imported'], { DATABASE_URL: url })).stderr).toContain(
      'order 424242 has no sales order document',
    );
    expect((await runWooSage(['results', 'mark', 'abc', 'imported'], { DATABASE_URL: url })).code).toBe(2);
    expect((await runWooSage(['results', 'import', '/nonexistent.xml'], { DATABASE_URL: url })).stderr).toContain(
      'cannot be read (ENOENT)',
    );
  });
});

describeEachDialect('woo-sage outbox', (ctx) => {
  it('when queued documents are delivered from the CLI, then the files land in OUTBOX_DIR and status shows them delivered', async () => {
    const { db, url } = ctx();
    const dir = tempOutbox();
    dirs.push(dir);
    await queue(db, await seedOrder(db), 'WEBSALES');
    // The test orders were queued "in the future" (2026-11-23); delivery uses the real clock.
    await db('export_jobs').update({ next_attempt_at: '2000-01-01T00:00:00.000Z' });
    const env = { DATABASE_URL: url, OUTBOX_DIR: dir };
    const status = await runWooSage(['outbox', 'status'], env);
    expect(status.stdout).toMatch(/sales_order\s+queued\s+1/);
    const delivered = await runWooSage(['outbox', 'deliver'], env);
    expect(delivered.code).toBe(0);
    expect(delivered.stdout).toContain(`delivered 1 document(s) in 1 batch(es) to ${dir}`);
    expect(outboxFiles(dir)).toHaveLength(1);
    const json = JSON.parse((await runWooSage(['outbox', 'status', '--json'], env)).stdout);
    expect(json.documents).toContainEqual({ kind: 'sales_order', state: 'delivered', count: 1 });
  });
});
