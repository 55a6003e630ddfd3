import os from 'node:os';
import { InvalidArgumentError } from 'commander';

export function parseOrderId(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value)))
    throw new InvalidArgumentError('expected a WooCommerce order id (a positive whole number)');
  return Number(value);
}

/** Who runs a support command, by default: recorded in order histories and the audit log. */
export const cliActor = () => `cli:${os.userInfo().username}`;
