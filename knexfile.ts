// For knex's own CLI (`npx knex --knexfile knexfile.ts migrate:status`); the app uses src/db/.
import { loadConfig } from './src/config/env.ts';
import { knexConfigFor } from './src/db/connection.ts';
import { migrationConfig } from './src/db/migrator.ts';

const config = loadConfig();

export default { ...knexConfigFor(config.databaseUrl), migrations: migrationConfig };
