import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

// Rows per statement: keeps every statement well under SQLite's and MySQL's limits on bound values
// and packet size, however many columns a row has.
const ROWS_PER_INSERT = 200;
const ROWS_PER_UPDATE = 200;

/** Inserts rows in multi-row statements. */
export async function insertInChunks(db: Db, table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await db(table).insert(rows.slice(i, i + ROWS_PER_INSERT));
}

/**
 * Sets different values on many rows in one statement per chunk. A column every row gives the
 * same value is set plainly; one with a few distinct values is `CASE WHEN id IN (…) THEN ? …`;
 * others are `CASE id WHEN ? THEN ? … ELSE c END`. A row that does not name a column keeps its
 * value. The same SQL on SQLite and MySQL, through bindings only.
 */
export async function updateRowsById(db: Db, table: string, rows: readonly ({ id: number } & Record<string, unknown>)[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_UPDATE) {
    const chunk = rows.slice(i, i + ROWS_PER_UPDATE);
    const columns = [...new Set(chunk.flatMap((row) => Object.keys(row).filter((c) => c !== 'id')))];
    if (columns.length === 0) continue;
    const set: Record<string, Knex.Raw | Knex.Value> = {};
    for (const column of columns) {
      const named = chunk.filter((row) => column in row);
      const byValue = new Map<Knex.Value, number[]>();
      for (const row of named) {
        const value = (row[column] ?? null) as Knex.Value;
        const ids = byValue.get(value);
        if (ids) ids.push(row.id);
        else byValue.set(value, [row.id]);
      }
      if (byValue.size === 1 && named.length === chunk.length) {
        set[column] = [...byValue.keys()][0]!;
      } else if (byValue.size * 4 <= named.length) {
        const groups = [...byValue];
        const cases = groups.map(([, ids]) => `WHEN ?? IN (${ids.map(() => '?').join(',')}) THEN ?`).join(' ');
        const bindings = groups.flatMap(([value, ids]) => ['id', ...ids, value]);
        set[column] = db.raw(`CASE ${cases} ELSE ?? END`, [...bindings, column]);
      } else {
        const cases = named.map(() => 'WHEN ? THEN ?').join(' ');
        const bindings = named.flatMap((row) => [row.id, (row[column] ?? null) as Knex.Value]);
        set[column] = db.raw(`CASE ?? ${cases} ELSE ?? END`, ['id', ...bindings, column]);
      }
    }
    await db(table)
      .whereIn(
        'id',
        chunk.map((row) => row.id),
      )
      .update(set);
  }
}
