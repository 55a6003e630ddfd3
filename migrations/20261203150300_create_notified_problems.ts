import type { Knex } from 'knex';

/**
 * Every order problem a digest has told people about, keyed so that the same problem is never
 * told twice (a restart, a second instance) while a new one on the same order (held again for
 * another reason, a further change after export) is.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('notified_problems', (t) => {
    t.increments('id').primary();
    t.string('problem_key', 191).notNullable().unique(); // held:1001:<hash> | failed:1001:<hash> | change:<order_changes.id>
    t.bigInteger('order_id').unsigned().notNullable().index();
    t.string('kind', 16).notNullable(); // held | failed | changed
    t.integer('digest_id').unsigned().notNullable().index();
    t.string('detected_at', 24).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('notified_problems');
}
