import type { AccountLookup, MirrorAccount } from './types.ts';

const byCodeOrder = (a: MirrorAccount, b: MirrorAccount) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * The account mirror held in memory: what `woo-sage plan` builds from ACCOUNTS.xml, and what the
 * database use case fills with the slice of the mirror one order needs.
 */
export class InMemoryMirror implements AccountLookup {
  private readonly accounts = new Map<string, MirrorAccount>();
  private readonly emailIndex = new Map<string, Set<string>>();
  private readonly ownerIndex = new Map<string, string>();
  private readonly otherTaken = new Set<string>();

  constructor(accounts: Iterable<MirrorAccount> = []) {
    for (const account of accounts) this.put(account);
  }

  /** Adds or replaces an account (its emails and owner are re-indexed). */
  put(account: MirrorAccount): void {
    const previous = this.accounts.get(account.code);
    if (previous) {
      for (const email of previous.emails) this.emailIndex.get(email)?.delete(previous.code);
      if (previous.ownerKey) this.ownerIndex.delete(previous.ownerKey);
    }
    const stored = { ...account, emails: [...new Set(account.emails)] };
    this.accounts.set(account.code, stored);
    for (const email of stored.emails) {
      let codes = this.emailIndex.get(email);
      if (!codes) this.emailIndex.set(email, (codes = new Set()));
      codes.add(stored.code);
    }
    if (stored.ownerKey) this.ownerIndex.set(stored.ownerKey, stored.code);
  }

  /** Records a code as taken without knowing its account (e.g. another worker just reserved it). */
  markTaken(code: string): void {
    this.otherTaken.add(code);
  }

  get size(): number {
    return this.accounts.size;
  }

  all(): MirrorAccount[] {
    return [...this.accounts.values()];
  }

  byCode(code: string): MirrorAccount | undefined {
    return this.accounts.get(code);
  }

  byEmail(email: string): MirrorAccount[] {
    const codes = this.emailIndex.get(email);
    if (!codes) return [];
    return [...codes].map((code) => this.accounts.get(code)!).sort(byCodeOrder);
  }

  byOwner(ownerKey: string): MirrorAccount | undefined {
    const code = this.ownerIndex.get(ownerKey);
    return code === undefined ? undefined : this.accounts.get(code);
  }

  isCodeTaken(code: string): boolean {
    return this.accounts.has(code) || this.otherTaken.has(code);
  }
}
