// The configuration knex's own CLI uses (`npx knex migrate:latest`, `migrate:status`, `migrate:list`),
// loaded through knexfile.js. The app migrates through src/db/migrator.ts with the same source:
// the files in migrations/, recorded under the same names.
import { loadConfig } from './config/env.ts';
import { ensureDatabaseFolder, knexConfigFor } from './src/db/connection.ts';
import { migrationConfig } from './src/db/migrator.ts';

const { databaseUrl } = loadConfig();
ensureDatabaseFolder(databaseUrl);

export default { ...knexConfigFor(databaseUrl), migrations: migrationConfig };
