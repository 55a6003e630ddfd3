import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishStaged, stagingDir, sweepAbandonedTemporaries, writeFileDurably } from './outbox-files.ts';

describe('outbox files', () => {
  it('when a killed writer left temporaries, then only the old ones are swept; staged files stay', async () => {
    const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-sweep-'));
    const staging = stagingDir(outbox);
    await writeFileDurably(staging, '00000001-x-sales-orders.xml', '<Company/>');
    fs.writeFileSync(path.join(staging, '00000002-x-sales-orders.xml.123-aa.tmp'), '<Comp');
    fs.writeFileSync(path.join(staging, '00000003-x-sales-orders.xml.456-bb.tmp'), '<Comp');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    fs.utimesSync(path.join(staging, '00000002-x-sales-orders.xml.123-aa.tmp'), twoHoursAgo, twoHoursAgo);
    expect(await sweepAbandonedTemporaries(outbox)).toEqual(['00000002-x-sales-orders.xml.123-aa.tmp']);
    expect(fs.readdirSync(staging).sort()).toEqual(['00000001-x-sales-orders.xml', '00000003-x-sales-orders.xml.456-bb.tmp']);
    expect(await sweepAbandonedTemporaries(path.join(outbox, 'missing'))).toEqual([]);
    fs.rmSync(outbox, { recursive: true, force: true });
  });

  it('when a link was planted in the outbox under a batch file’s name, then publishing refuses it and the link’s target is untouched', async () => {
    const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-link-'));
    const victim = path.join(outbox, 'victim.txt');
    fs.writeFileSync(victim, 'keep me');
    await writeFileDurably(stagingDir(outbox), '00000001-x-customers.xml', '<Company/>');
    fs.symlinkSync(victim, path.join(outbox, '00000001-x-customers.xml'));
    await expect(publishStaged(outbox, '00000001-x-customers.xml')).rejects.toThrow(
      /is a symbolic link that someone else put in the outbox/,
    );
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
    fs.rmSync(outbox, { recursive: true, force: true });
  });
});
