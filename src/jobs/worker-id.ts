import { randomBytes } from 'node:crypto';
import os from 'node:os';

/** "host:pid:random": names a process in leases and claims, and says where it ran. */
export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * True when a lease holder was a process on this host that no longer exists (killed, crashed):
 * its lease can be taken at once instead of waiting for it to expire. A holder on another host,
 * or one whose id does not follow newWorkerId's form, is never judged dead here.
 */
export function isDeadLocalWorker(workerId: string): boolean {
  const [host, pidText] = workerId.split(':');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: the pid exists but belongs to someone else, so it is alive.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
