import type { Knex } from 'knex';

/** What an importer's results are matched on and what they leave behind, per document. */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('export_jobs', (t) => {
    t.string('document_id', 255).nullable(); // the document's <Id>: order id, "customer-42", "guest-ann@example.com"
    t.text('warnings').nullable(); // JSON array: free text shortened while rendering
    t.string('imported_at', 24).nullable();
    t.text('result_message').nullable(); // the importer's message (success or failure)
    t.index(['kind', 'document_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('export_jobs', (t) => {
    t.dropIndex(['kind', 'document_id']);
    t.dropColumn('document_id');
    t.dropColumn('warnings');
    t.dropColumn('imported_at');
    t.dropColumn('result_message');
  });
}
