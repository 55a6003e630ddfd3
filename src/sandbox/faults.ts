/**
 * Switchable faults, so tests can make the sandbox misbehave the way real stores and their hosting
 * do: error statuses, rate limiting with Retry-After, slow answers, cut-off bodies, PHP notices in
 * front of the JSON, dropped connections.
 */
export type Fault =
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'delay'; ms: number }
  /** The body is declared in full but the connection drops half way through. */
  | { kind: 'truncate' }
  /** A PHP notice printed before the JSON, as a misbehaving plugin does. */
  | { kind: 'malformed-json' }
  /** The connection is dropped before any response. */
  | { kind: 'reset' };

export interface FaultRule {
  fault: Fault;
  /** Which requests: a resource ("orders", "customers"), a path pattern, and/or a method. */
  match?: { resource?: 'orders' | 'customers'; path?: RegExp; method?: string };
  /** Let this many matching requests through first. */
  skip?: number;
  /** How many matching requests to affect (default 1; Infinity for all). */
  times?: number;
}

export interface FaultHandle {
  /** How many requests this rule has affected so far. */
  readonly fired: number;
  remove(): void;
}

interface ActiveRule extends FaultRule {
  seen: number;
  fired: number;
}

export class FaultControl {
  private rules: ActiveRule[] = [];

  inject(rule: FaultRule): FaultHandle {
    const active: ActiveRule = { ...rule, seen: 0, fired: 0 };
    this.rules.push(active);
    return {
      get fired() {
        return active.fired;
      },
      remove: () => {
        this.rules = this.rules.filter((r) => r !== active);
      },
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** The faults that apply to this request (each rule counts it). */
  take(request: { method: string; path: string }): Fault[] {
    const out: Fault[] = [];
    for (const rule of this.rules) {
      const m = rule.match;
      if (m?.method && m.method.toUpperCase() !== request.method.toUpperCase()) continue;
      if (m?.path && !m.path.test(request.path)) continue;
      if (m?.resource && !new RegExp(`/${m.resource}(/|$)`).test(request.path)) continue;
      rule.seen++;
      if (rule.seen <= (rule.skip ?? 0)) continue;
      if (rule.fired >= (rule.times ?? 1)) continue;
      rule.fired++;
      out.push(rule.fault);
    }
    return out;
  }
}
