import type { Verification } from './verify-run.ts';

/** One run's figures: the CONTRACT's four numbers first, then the detail behind them. */
export interface RunFigures {
  orders: number;
  ordersPerSecond: number;
  storeRequestsPer1000: number;
  peakRssMb: number;
  /** RSS before the first order (modules loaded, database open). */
  startRssMb: number;
  database: 'sqlite' | 'mysql';
  seconds: number;
  /** CPU time of the pipeline process: how much of the wall time it was busy. */
  cpuSeconds: number;
  /** CPU time of the sandbox store serving the run. */
  storeCpuSeconds: number;
  storeRequests: number;
  stages: Record<string, { seconds: number; cpuSeconds: number; ordersPerSecond: number | null; peakRssMb: number; counts: unknown }>;
  verified: Verification;
  /** `woo-sage books` over the run's database afterwards: every order, every delivered document read. */
  books?: { seconds: number; ordersPerSecond: number; days: number; sageGrossMinor: number; differenceMinor: number };
}

export interface BenchReport {
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; loadAverage: number[] };
  sqlite?: RunFigures;
  mysql?: RunFigures;
  baseline?: RunFigures;
}

const pad = (text: string | number, width: number) => String(text).padStart(width);

/** The report for a person: one row per run, the stages, and the ratios to the baseline. */
export function formatReport(report: BenchReport): string {
  const runs = (['sqlite', 'mysql', 'baseline'] as const).filter((k) => report[k]).map((k) => [k, report[k]!] as const);
  const stageNames = [...new Set(runs.flatMap(([, r]) => Object.keys(r.stages)))];
  const lines = [
    `machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGb} GB, Node ${report.machine.node}; load average at the start ${report.machine.loadAverage.join(' ')}`,
    '',
    `${'run'.padEnd(18)}${pad('orders', 8)}${pad('orders/s', 10)}${pad('req/1000', 10)}${pad('peak MB', 9)}${pad('seconds', 9)}${pad('cpu s', 8)}  ${stageNames.map((s) => `${s} o/s`.padStart(14)).join('')}`,
  ];
  for (const [name, r] of runs) {
    lines.push(
      `${`${name} (${r.database})`.padEnd(18)}${pad(r.orders, 8)}${pad(r.ordersPerSecond, 10)}${pad(r.storeRequestsPer1000, 10)}${pad(r.peakRssMb, 9)}${pad(r.seconds, 9)}${pad(r.cpuSeconds, 8)}  ${stageNames.map((s) => pad(r.stages[s]?.ordersPerSecond ? `${r.stages[s]!.ordersPerSecond} (${r.stages[s]!.seconds}s)` : '-', 14)).join('')}`,
    );
  }
  lines.push('', 'per stage: orders/s (seconds, of which the pipeline process was on the CPU)');
  for (const [name, r] of runs) {
    lines.push(
      `  ${name}: ${Object.entries(r.stages)
        .filter(([, s]) => s.ordersPerSecond !== null)
        .map(([stage, s]) => `${stage} ${s.ordersPerSecond}/s (${s.seconds} s, cpu ${s.cpuSeconds} s, peak ${s.peakRssMb} MB)`)
        .join(', ')}; the store used ${r.storeCpuSeconds} s of CPU; ${r.startRssMb} MB before the first order`,
    );
  }
  lines.push('');
  for (const [name, r] of runs) {
    const v = r.verified;
    lines.push(
      `${name}: verified ${v.salesOrders} sales orders (one each, totals to the penny) and ${v.customers} customers in ${v.files} files; ${v.held} of ${v.eligible} eligible orders held with a reason; documents ${v.documentsDigest}`,
    );
  }
  for (const [name, r] of runs.filter(([, r]) => r.books)) {
    const b = r.books!;
    lines.push(
      `${name}: books over ${r.orders} orders (${b.days} days) in ${b.seconds} s (${b.ordersPerSecond} orders/s, ${((100 * b.seconds) / r.seconds).toFixed(1)}% of the sync that wrote them), difference ${b.differenceMinor}`,
    );
  }
  const base = report.baseline;
  if (base) {
    for (const [name, r] of runs.filter(([n]) => n !== 'baseline')) {
      lines.push(
        `${name} vs baseline (${base.orders} orders on ${base.database}): ${(r.ordersPerSecond / base.ordersPerSecond).toFixed(1)}× orders/s, ${(base.storeRequestsPer1000 / r.storeRequestsPer1000).toFixed(1)}× fewer store requests, peak RSS ${r.peakRssMb} vs ${base.peakRssMb} MB`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
