import knex from 'knex';
import { parseDatabaseUrl } from '../../src/db/database-url.ts';

/**
 * Vitest global setup: every database suite runs once per dialect, and without MYSQL_TEST_URL the
 * MariaDB copies are simply not declared (hundreds of tests). With WOO_SAGE_MYSQL=required (as
 * .ci/run sets) a missing or unreachable server fails the run instead of skipping them.
 */
export default async function mariadbGate(): Promise<void> {
  const url = process.env.MYSQL_TEST_URL;
  const required = process.env.WOO_SAGE_MYSQL === 'required';
  // Without MYSQL_TEST_URL the skip-reasons reporter says so after the run; a URL that does not
  // answer would only fail each suite one by one, so it is said here, once.
  if (!url && !required) return;
  const problem = url ? await unreachable(url) : 'MYSQL_TEST_URL is not set';
  if (!problem) return;
  const how = 'run them with MYSQL_TEST_URL=mysql://root@127.0.0.1:3306/test npm test';
  if (required) throw new Error(`WOO_SAGE_MYSQL=required but the MariaDB tests cannot run: ${problem} (${how})`);
  process.stderr.write(`\nwoo-sage: the MariaDB copies of the database tests cannot run (${problem}); ${how}\n\n`);
}

async function unreachable(url: string): Promise<string | undefined> {
  let server;
  try {
    server = parseDatabaseUrl(url);
  } catch (error) {
    return `MYSQL_TEST_URL is not usable: ${(error as Error).message}`;
  }
  if (server.dialect !== 'mysql') return 'MYSQL_TEST_URL is not a mysql:// URL';
  const probe = knex({
    client: 'mysql2',
    connection: { host: server.host, port: server.port, user: server.user, password: server.password, connectTimeout: 5_000 },
    pool: { min: 0, max: 1 },
  });
  try {
    await probe.raw('SELECT 1');
    return undefined;
  } catch (error) {
    return `MariaDB at ${server.host}:${server.port} does not answer (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  } finally {
    await probe.destroy();
  }
}
