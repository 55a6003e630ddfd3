import { decodeEntities } from '../domain/text.ts';

/**
 * What `woo-sage check` found: one finding per fact, each with what to do about it. `fatal` means
 * woo-sage cannot work with this configuration at all (exit 2); `fail`, that it works but orders
 * would be held or written wrong until it is fixed (exit 1); `warn` is worth a look but does not
 * stop anything; `ok` and `info` are facts.
 */
export const FINDING_LEVELS = ['ok', 'info', 'warn', 'fail', 'fatal'] as const;
export type FindingLevel = (typeof FINDING_LEVELS)[number];

export interface Finding {
  /** Stable, for scripts: "store.reachable", "keys.permission", "tax.rate"… */
  id: string;
  level: FindingLevel;
  /** What was found, one sentence. */
  message: string;
  /** What to do, or null when nothing needs doing. */
  fix: string | null;
}

export const CHECK_STATUSES = ['ready', 'not_ready', 'unusable'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface CheckReport {
  status: CheckStatus;
  /** 0 ready, 1 not ready, 2 unusable configuration. */
  exitCode: 0 | 1 | 2;
  /** WOO_URL as configured (never the keys), or null when it is not set. */
  store: string | null;
  checkedAt: string;
  findings: Finding[];
}

export function finding(id: string, level: FindingLevel, message: string, fix: string | null = null): Finding {
  return { id, level, message, fix };
}

export function buildReport(store: string | null, findings: Finding[], at: Date): CheckReport {
  const status: CheckStatus = findings.some((f) => f.level === 'fatal')
    ? 'unusable'
    : findings.some((f) => f.level === 'fail')
      ? 'not_ready'
      : 'ready';
  return { status, exitCode: status === 'ready' ? 0 : status === 'not_ready' ? 1 : 2, store, checkedAt: at.toISOString(), findings };
}

const LABEL: Record<FindingLevel, string> = { ok: 'ok', info: 'info', warn: 'warn', fail: 'FAIL', fatal: 'FATAL' };

/** One line per finding ("FAIL  message. Fix: …"), then the verdict. */
export function formatReport(report: CheckReport): string {
  const lines = report.findings.map((f) => `${LABEL[f.level].padEnd(5)}  ${f.message}${f.fix ? `. Fix: ${f.fix}` : ''}`);
  const problems = report.findings.filter((f) => f.level === 'fail' || f.level === 'fatal').length;
  const warnings = report.findings.filter((f) => f.level === 'warn').length;
  const also = warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : '';
  lines.push(
    report.status === 'ready'
      ? `ready: woo-sage can sync this store${also}`
      : report.status === 'not_ready'
        ? `not ready: ${problems} problem${problems === 1 ? '' : 's'} to fix first${also}`
        : `unusable configuration: woo-sage cannot work with this store or database until the FATAL line${problems === 1 ? ' is' : 's are'} fixed`,
  );
  return lines.join('\n');
}

/** Text from the store (a tax rate's name, a gateway's title) as one short, printable line. */
export function shopText(value: unknown, max = 60): string {
  const text = decodeEntities(typeof value === 'string' || typeof value === 'number' ? String(value) : '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
