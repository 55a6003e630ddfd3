import type { Knex } from 'knex';
import { ConfigError } from '../../config/env.ts';
import { countActiveOwners, findUserByUsername } from '../db/users.ts';
import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../log/logger.ts';
import { passwordProblems, type ScryptParams } from './password.ts';
import { addUser } from './users.ts';

export const BOOTSTRAP_USERNAME = 'admin';

/**
 * ADMIN_PASSWORD creates the first owner, `admin`, when there is no active owner. Once one
 * exists the variable does nothing (change passwords with `woo-sage users password`).
 */
export async function ensureFirstOwner(
  db: Knex,
  adminPassword: string | undefined,
  logger: Logger,
  options: { clock: Clock; scrypt?: ScryptParams },
): Promise<'created' | 'not-needed' | 'no-password' | 'name-taken'> {
  if ((await countActiveOwners(db)) > 0) return 'not-needed';
  if (!adminPassword) {
    logger.warn(
      'no owner exists: create one with `woo-sage users add NAME --role owner` or set ADMIN_PASSWORD; every request is refused until then',
    );
    return 'no-password';
  }
  if (await findUserByUsername(db, BOOTSTRAP_USERNAME)) {
    logger.warn(`ADMIN_PASSWORD ignored: user "${BOOTSTRAP_USERNAME}" exists but is not an active owner; use \`woo-sage users\` to fix it`);
    return 'name-taken';
  }
  const problems = passwordProblems(adminPassword).map((p) => `ADMIN_PASSWORD: ${p.replace(/^password: /, '')}`);
  if (problems.length > 0) throw new ConfigError(problems);
  await addUser(db, { username: BOOTSTRAP_USERNAME, password: adminPassword, role: 'owner' }, 'system:ADMIN_PASSWORD', options);
  logger.info({ username: BOOTSTRAP_USERNAME }, 'created the first owner from ADMIN_PASSWORD');
  return 'created';
}
