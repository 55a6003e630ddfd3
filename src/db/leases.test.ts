import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { isDeadLocalWorker, newWorkerId } from './leases.ts';

describe('worker ids', () => {
  it('when a worker id is made, then it names this host and process', () => {
    expect(newWorkerId()).toMatch(new RegExp(`^${os.hostname()}:${process.pid}:[0-9a-f]{6}$`));
  });

  it('when the holder is this live process or another host, then it is not dead', () => {
    expect(isDeadLocalWorker(newWorkerId())).toBe(false);
    expect(isDeadLocalWorker(`some-other-host:1:abc`)).toBe(false);
    expect(isDeadLocalWorker('not-a-worker-id')).toBe(false);
    expect(isDeadLocalWorker(`${os.hostname()}:1:abc`)).toBe(false); // pid 1 is alive
  });

  it('when the holder was a local process that has exited, then it is dead', () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    expect(isDeadLocalWorker(`${os.hostname()}:${child.stdout.toString()}:abc`)).toBe(true);
  });
});
