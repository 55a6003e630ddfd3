import type { Knex } from 'knex';

/** Sales orders waiting for their customer are found by the customer job's id. */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('export_jobs', (t) => {
    t.index(['depends_on_job_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('export_jobs', (t) => {
    t.dropIndex(['depends_on_job_id']);
  });
}
