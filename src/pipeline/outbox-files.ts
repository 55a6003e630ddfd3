import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Files for the importer are first written complete into a staging folder inside the outbox (same
 * file system, hidden from importers that watch `*.xml`), then renamed into the outbox: a rename is
 * atomic, so the outbox never shows a partial file, and a staged file can only be moved once.
 */
export const STAGING_DIR = '.woo-sage-staging';

export function stagingDir(outboxDir: string): string {
  return path.join(outboxDir, STAGING_DIR);
}

/**
 * Permissions of what is written into the outbox: the documents carry buyers' names and
 * addresses, so by default only the owner and its group read them (OUTBOX_FILE_MODE and
 * OUTBOX_DIR_MODE widen that, e.g. 0660/0770 when the importer runs as another user of the group).
 */
export interface OutboxModes {
  file: number;
  dir: number;
}

export const DEFAULT_OUTBOX_MODES: Readonly<OutboxModes> = Object.freeze({ file: 0o640, dir: 0o750 });

const octal = (mode: number) => `0${mode.toString(8)}`;

/**
 * A folder the connector writes into: created with `mode` when missing (chmod after mkdir, so the
 * umask cannot narrow a mode widened on purpose); never followed when it is a symbolic link, which
 * could send the files anywhere the process may write.
 */
async function ensureFolder(dir: string, mode: number): Promise<void> {
  const found = await fs.lstat(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (found?.isSymbolicLink()) {
    throw new Error(`${dir} is a symbolic link; refusing to write through it: replace it with a folder (mode ${octal(mode)})`);
  }
  if (found && !found.isDirectory()) throw Object.assign(new Error(`ENOTDIR: ${dir} is not a folder`), { code: 'ENOTDIR' });
  if (!found) {
    await fs.mkdir(dir, { recursive: true, mode });
    await fs.chmod(dir, mode);
  }
}

/**
 * The outbox folder (created with the folder mode when missing; it may itself be a link the
 * administrator set up) and its staging folder (never a link).
 */
export async function prepareOutbox(outboxDir: string, modes: OutboxModes = DEFAULT_OUTBOX_MODES): Promise<void> {
  if (!(await fs.stat(outboxDir).catch(() => undefined))) {
    await fs.mkdir(outboxDir, { recursive: true, mode: modes.dir });
    await fs.chmod(outboxDir, modes.dir);
  }
  await ensureFolder(stagingDir(outboxDir), modes.dir);
}

/** Makes the directory entries (creates, renames) durable. Not every platform can fsync a folder. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await handle?.close();
  }
}

/**
 * Writes `content` to `dir/name` completely: temporary name, fsync, rename, fsync the folder. The
 * temporary file is created exclusively (a planted link there is never followed) with the file
 * mode; a link planted at `name` is replaced by the rename, not followed.
 */
export async function writeFileDurably(
  dir: string,
  name: string,
  content: string,
  modes: OutboxModes = DEFAULT_OUTBOX_MODES,
): Promise<void> {
  await ensureFolder(dir, modes.dir);
  const target = path.join(dir, name);
  // Unique per writer: two processes finishing the same batch never write into one temporary file.
  const temporary = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.open(temporary, 'wx', modes.file);
  try {
    await handle.chmod(modes.file);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, target);
  await fsyncDir(dir);
}

const ABANDONED_TEMPORARY_MS = 60 * 60_000;

/**
 * Removes temporary files a killed writer left in the staging folder (`*.tmp`, never a complete
 * staged file). Only old ones: no write takes an hour, and another deliverer's file in progress,
 * possibly on another host sharing the folder, must be left alone.
 */
export async function sweepAbandonedTemporaries(outboxDir: string, nowMs = Date.now()): Promise<string[]> {
  const dir = stagingDir(outboxDir);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    // Tidying is a courtesy: a folder that cannot be read is the delivery's problem to report.
    return [];
  }
  const removed: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.tmp'))) {
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat && nowMs - stat.mtimeMs > ABANDONED_TEMPORARY_MS) {
      await fs.rm(file, { force: true });
      removed.push(name);
    }
  }
  return removed;
}

/** Removes staged copies left by a deliverer that lost its lease after another one finished the batch. */
export async function discardStaged(outboxDir: string, names: readonly string[]): Promise<void> {
  for (const name of names) await fs.rm(path.join(stagingDir(outboxDir), name), { force: true });
}

/**
 * Moves a staged file into the outbox. Returns false when it is no longer staged: it was moved
 * before a crash (and may already have been taken by the importer), so it must not be written again.
 */
export async function publishStaged(outboxDir: string, name: string): Promise<boolean> {
  const from = path.join(stagingDir(outboxDir), name);
  const to = path.join(outboxDir, name);
  if ((await fs.lstat(to).catch(() => undefined))?.isSymbolicLink()) {
    throw new Error(`${to} is a symbolic link that someone else put in the outbox; refusing to deliver over it: remove it`);
  }
  try {
    await fs.rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  await fsyncDir(outboxDir);
  await fsyncDir(stagingDir(outboxDir));
  return true;
}
