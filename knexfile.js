// knex's CLI looks for knexfile.js before knexfile.ts, and in an ES module package it loads the file
// with import(): Node 20 cannot import a .ts file without a loader flag, and the register hooks
// knex tries for .ts (ts-node, sucrase, @babel/register) only hook require() (knex/knex#6087). So this
// file hands knex the configuration in knexfile.ts: through tsx where the development dependencies are
// installed, or compiled in dist/ (built by `npm install`) where they are not.
function hasTsx() {
  try {
    import.meta.resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}

let knexfile;
if (hasTsx()) {
  const { register } = await import('tsx/esm/api');
  register();
  knexfile = await import('./knexfile.ts');
} else {
  knexfile = await import('./dist/knexfile.js');
}

export default knexfile.default;
