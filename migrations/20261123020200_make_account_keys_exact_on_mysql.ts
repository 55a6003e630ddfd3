import type { Knex } from 'knex';
import { dialectOf } from '../src/db/connection.ts';

// utf8mb4_unicode_ci treats "josé@x.com" and "jose@x.com" (or "ß" and "ss") as equal, which would
// give two buyers one account. Emails are stored normalised, so they are compared byte for byte.
// SQLite already compares text exactly.
export async function up(db: Knex): Promise<void> {
  if (dialectOf(db) !== 'mysql') return;
  await db.raw('ALTER TABLE sage_account_emails MODIFY email VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
  await db.raw('ALTER TABLE sage_accounts MODIFY owner_key VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL');
}

export async function down(db: Knex): Promise<void> {
  if (dialectOf(db) !== 'mysql') return;
  await db.raw('ALTER TABLE sage_accounts MODIFY owner_key VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL');
  await db.raw('ALTER TABLE sage_account_emails MODIFY email VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL');
}
