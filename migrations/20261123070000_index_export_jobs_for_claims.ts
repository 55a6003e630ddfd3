import type { Knex } from 'knex';

// Claiming takes the oldest queued jobs (`where state = 'queued' order by id limit n`). With only
// (state, next_attempt_at) the database walked every delivered job in id order on each claim:
// quadratic over a large backlog. This index reads the queued ones in id order, and covers the
// claim's other conditions so the database prefers it.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('export_jobs', (t) => {
    t.index(['state', 'id', 'next_attempt_at', 'depends_on_job_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('export_jobs', (t) => {
    t.dropIndex(['state', 'id', 'next_attempt_at', 'depends_on_job_id']);
  });
}
