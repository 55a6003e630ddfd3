import { expect, it } from 'vitest';
import { listAudit, recordAudit } from '../src/db/audit-log.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('audit log', (ctx) => {
  it('when filtered by a subject prefix with LIKE wildcards in it, then they match only themselves', async () => {
    const { db } = ctx();
    const at = new Date('2026-11-23T10:00:00Z');
    for (const subject of ['users.ann_b', 'users.annxb', 'users.ann%b', 'users.ann!b'])
      await recordAudit(db, { at, actor: 'test', action: 'user.add', subject });
    const subjects = async (prefix: string) => (await listAudit(db, { subjectPrefix: prefix })).map((r) => r.subject);
    expect(await subjects('users.ann_')).toEqual(['users.ann_b']);
    expect(await subjects('users.ann%')).toEqual(['users.ann%b']);
    expect(await subjects('users.ann!')).toEqual(['users.ann!b']);
    expect((await subjects('users.ann')).sort()).toEqual(['users.ann!b', 'users.ann%b', 'users.ann_b', 'users.annxb']);
  });
});
