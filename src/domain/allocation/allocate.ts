import { proposeAccountCode, type ProposedCode } from './account-code.ts';
import { accountCodePattern, type AccountCodePattern } from './account-code-pattern.ts';
import { normaliseAccountCode } from './normalise.ts';
import type {
  AccountLookup,
  AllocationContext,
  AllocationSettings,
  Decision,
  ManualAccount,
  MirrorAccount,
  OrderFacts,
  Rule,
  TraceStep,
} from './types.ts';
import { charLength, quoted } from '../text.ts';

const KNOWN: AllocationContext = { sageAccountsKnown: true };

/**
 * Decides the Sage account of one order. Priority, first that applies wins (seed 004):
 * MANUAL (a person assigned this order's account) → PROFILE (the order carries a code) → MANUAL
 * (a person remembered an account for the billing email) → EXISTING (email matches one account)
 * → NEW (create one) → DEFAULT (defaultAccountCode) → NONE (held for a person). An account that
 * clashes with another buyer's in Sage is never used; a NEW code is never made before Sage's own
 * accounts are known (the order waits). Pure: the mirror comes in as a lookup.
 */
export function allocate(
  facts: OrderFacts,
  settings: AllocationSettings,
  lookup: AccountLookup,
  context: AllocationContext = KNOWN,
): Decision {
  const trace: TraceStep[] = [];
  const note = (step: TraceStep['step'], result: TraceStep['result'], detail: string) => void trace.push({ step, result, detail });
  const decide = (rule: Rule, accountCode: string | null, reason: string): Decision => {
    const clash = accountCode ? lookup.byCode(accountCode)?.clash : null;
    if (accountCode && clash) {
      note(rule, 'skipped', reason);
      reason = `${reason.replace(/\.$/, '')}, but ${clash}; the order is held until a person re-codes the account created here (woo-sage accounts recode ${accountCode}).`;
      rule = 'NONE';
      accountCode = null;
    }
    note(rule, rule === 'NONE' ? 'held' : 'applied', reason);
    return { rule, accountCode, reason, trace };
  };
  const manual = (m: ManualAccount): Decision => {
    const code = normaliseAccountCode(m.code);
    const by = `${m.by} on ${m.at.slice(0, 10)}${m.reason ? ` (${JSON.stringify(m.reason)})` : ''}`;
    const what =
      m.source === 'order'
        ? `Account ${code} was assigned to this order by ${by}`
        : `Billing email ${m.email ?? facts.billingEmail ?? ''} is linked to account ${code} by ${by}${m.fromOrderId ? `, remembered from order ${m.fromOrderId}` : ''}`;
    if (!pattern.test(code)) {
      return decide(
        'NONE',
        null,
        `${what}, but ${quoted(m.code)} is not a valid Sage account code (accountCodePattern ${settings.accountCodePattern}), so the order is held.`,
      );
    }
    const account = lookup.byCode(code);
    if (!account) note('MANUAL', 'noted', `Account ${code} is not in the Sage account mirror; it is used because a person chose it.`);
    else if (account.status === 'inactive')
      note('MANUAL', 'noted', `Account ${code} is marked inactive in the mirror; it is used because a person chose it.`);
    return decide('MANUAL', code, `${what}.`);
  };
  const pattern = accountCodePattern(settings.accountCodePattern);
  note('ORDER', 'noted', describeBuyer(facts));

  // 0. MANUAL: a person's choice for this very order wins over every rule.
  if (facts.assigned) return manual(facts.assigned);

  // 1. PROFILE: a code carried by the order wins, whatever the settings; only a bad code holds it.
  if (facts.profileCode) {
    const code = normaliseAccountCode(facts.profileCode.raw);
    const where =
      facts.profileCode.source === 'order-meta' ? `the order's meta ${settings.profileMetaKey}` : `customer ${facts.customerId}'s profile`;
    if (facts.overriddenProfileCode) {
      note(
        'PROFILE',
        'noted',
        `Customer ${facts.customerId}'s profile says ${facts.overriddenProfileCode}, but the order's own meta takes precedence.`,
      );
    }
    // A person's remembered link for the billing email settles an order whose own code is unusable.
    const unusable = (problem: string): Decision => {
      if (!facts.emailLink) return decide('NONE', null, `${problem}, so the order is held.`);
      note('PROFILE', 'skipped', `${problem}.`);
      return manual(facts.emailLink);
    };
    if (!pattern.test(code)) {
      return unusable(
        `The account code ${quoted(facts.profileCode.raw)}${charLength(facts.profileCode.raw) > 60 ? ` (${charLength(facts.profileCode.raw)} characters)` : ''} in ${where} is not a valid Sage account code (accountCodePattern ${settings.accountCodePattern})`,
      );
    }
    const account = lookup.byCode(code);
    if (settings.requireKnownProfileCode && (!account || account.status === 'inactive')) {
      const problem = account
        ? 'is marked inactive (missing from the last full Sage customer export)'
        : 'is not in the Sage account mirror';
      return unusable(`The account code ${code} in ${where} ${problem} and requireKnownProfileCode is on`);
    }
    const caveat = !account
      ? ', which is used although it is not in the Sage account mirror (requireKnownProfileCode is off)'
      : account.status === 'inactive'
        ? ', which is used although it is marked inactive in the mirror (requireKnownProfileCode is off)'
        : ', which takes priority over the other rules';
    return decide('PROFILE', code, `${capitalise(where)} carries Sage account code ${code}${caveat}.`);
  }

  const why: string[] = [];
  if (facts.loggedIn) {
    if (facts.customerProfile === 'not-found') {
      return decide(
        'NONE',
        null,
        `Customer ${facts.customerId}'s WooCommerce profile has not been read, so whether it carries an account code is unknown and the order is held until the profile is fetched.`,
      );
    }
    if (facts.customerProfile === 'not-looked-up') {
      note('PROFILE', 'noted', `Customer ${facts.customerId}'s profile was not supplied, so a profile account code could not be checked.`);
    }
    why.push(
      facts.customerProfile === 'not-looked-up'
        ? `customer ${facts.customerId}'s profile was not checked (no customer profiles were supplied)`
        : `customer ${facts.customerId}'s profile has no account code`,
    );
  } else {
    why.push('the guest order carries no account code');
  }
  note('PROFILE', 'skipped', `${capitalise(why[0]!)} (meta key ${settings.profileMetaKey}).`);

  // 1b. MANUAL: a person remembered an account for this billing email.
  if (facts.emailLink) return manual(facts.emailLink);

  // 2. EXISTING: the billing email against every email field of every usable account.
  const existing = matchByEmail(facts, settings, lookup, why, note);
  if (existing) return decide(existing.rule, existing.code, existing.reason);

  // 3. NEW: create an account, unless only logged-in buyers get one and this was a guest.
  const created = newAccount(facts, settings, lookup, pattern, why, note);
  if (created && created.fresh && !context.sageAccountsKnown) {
    const reason = `Import your Sage customers first: ${sentence(why).replace(/^./, (c) => c.toLowerCase())}, so a new Sage account would be created, but no Sage customer export has been imported yet and a new code could be one Sage already uses for another customer (woo-sage accounts import FILE, or accounts import --empty when Sage has no customers yet).`;
    note('NEW', 'waiting', reason);
    return { rule: 'NONE', accountCode: null, reason, trace, waitFor: 'SAGE_ACCOUNTS' };
  }
  if (created) return decide('NEW', created.code, created.reason);

  // 4. DEFAULT
  if (settings.defaultAccountCode) {
    return decide(
      'DEFAULT',
      settings.defaultAccountCode,
      `${sentence(why)}, so the default account ${settings.defaultAccountCode} is used.`,
    );
  }
  note('DEFAULT', 'skipped', 'No defaultAccountCode is set.');

  // 5. NONE
  return decide('NONE', null, `${sentence([...why, 'no defaultAccountCode is set'])}, so the order is held.`);
}

type Note = (step: TraceStep['step'], result: TraceStep['result'], detail: string) => void;

function matchByEmail(
  facts: OrderFacts,
  settings: AllocationSettings,
  lookup: AccountLookup,
  why: string[],
  note: Note,
): { rule: Rule; code: string | null; reason: string } | undefined {
  if (!settings.searchSageByEmail) {
    why.push('searchSageByEmail is off');
    note('EXISTING', 'skipped', 'searchSageByEmail is off, so Sage accounts were not searched by email.');
    return undefined;
  }
  const email = facts.billingEmail;
  if (!email) {
    const problem = facts.billingEmailGiven
      ? `billing email ${quoted(facts.billingEmailGiven)} is not a valid address`
      : 'the order has no billing email';
    why.push(problem);
    note('EXISTING', 'skipped', `${capitalise(problem)}, so Sage accounts could not be searched by email.`);
    return undefined;
  }
  const matches = lookup.byEmail(email);
  const usable = preferConfirmed(matches.filter((a) => a.status !== 'inactive'));
  const inactive = matches.filter((a) => a.status === 'inactive');
  if (inactive.length > 0) {
    note(
      'EXISTING',
      'noted',
      `Billing email ${email} is on inactive account(s) ${codes(inactive)} (missing from the last full Sage export); they are not used.`,
    );
  }
  if (usable.length === 1) {
    const account = usable[0]!;
    if (account.status === 'pending') {
      return {
        rule: 'EXISTING',
        code: account.code,
        reason: `Billing email ${email} matches account ${account.code}, created by woo-sage for an earlier order and not yet confirmed by a Sage export (searchSageByEmail is on).`,
      };
    }
    note('EXISTING', 'noted', `Sage account ${account.code}${account.name ? ` is ${JSON.stringify(account.name)}` : ''}.`);
    return {
      rule: 'EXISTING',
      code: account.code,
      reason: `Billing email ${email} matches Sage account ${account.code} (searchSageByEmail is on).`,
    };
  }
  if (usable.length > 1) {
    const list = `${usable.length} Sage accounts (${codes(usable)})`;
    if (settings.onAmbiguousEmail === 'first') {
      const chosen = usable[0]!;
      note(
        'EXISTING',
        'noted',
        'With several matches, confirmed accounts come before pending ones, then account codes in alphabetical order.',
      );
      return {
        rule: 'EXISTING',
        code: chosen.code,
        reason: `Billing email ${email} matches ${list}; ${chosen.code} is used because onAmbiguousEmail is first.`,
      };
    }
    return {
      rule: 'NONE',
      code: null,
      reason: `Billing email ${email} matches ${list}, so the order is held for a person to choose (onAmbiguousEmail is hold).`,
    };
  }
  const problem = `no Sage account has billing email ${email}`;
  why.push(problem);
  note('EXISTING', 'skipped', `${capitalise(problem)}.`);
  return undefined;
}

function newAccount(
  facts: OrderFacts,
  settings: AllocationSettings,
  lookup: AccountLookup,
  pattern: AccountCodePattern,
  why: string[],
  note: Note,
): { code: string; reason: string; fresh: boolean } | undefined {
  const skip = (problem: string) => {
    why.push(problem);
    note('NEW', 'skipped', `${capitalise(problem)}.`);
    return undefined;
  };
  if (!settings.createAccounts) return skip('createAccounts is off');
  if (settings.createAccountsForLoggedInOnly && !facts.loggedIn) {
    return skip('the buyer checked out as a guest and createAccountsForLoggedInOnly is on');
  }
  if (!facts.ownerKey) return skip('a guest without a valid billing email cannot be given a new account');
  const own = lookup.byOwner(facts.ownerKey);
  if (own && own.status !== 'inactive') {
    return {
      code: own.code,
      reason: `${sentence(why)}, so the new Sage account ${own.code}, already created for this buyer by an earlier order, is used again (createAccounts is on).`,
      fresh: false,
    };
  }
  if (own) return skip(`the account ${own.code} created earlier for this buyer is now inactive in Sage`);
  const proposed: ProposedCode | null = proposeAccountCode(facts.codeStem, pattern, (code) => lookup.isCodeTaken(code));
  if (!proposed)
    return skip(`no free account code made from ${JSON.stringify(facts.codeStem)} fits accountCodePattern ${settings.accountCodePattern}`);
  note(
    'NEW',
    'noted',
    `Code ${proposed.code} is the lowest free number for ${JSON.stringify(proposed.prefix)}, made from ${stemSource(facts)}.`,
  );
  return {
    code: proposed.code,
    reason: `${sentence(why)}, so new Sage account ${proposed.code} will be created from ${stemSource(facts)} (createAccounts is on).`,
    fresh: true,
  };
}

function describeBuyer(facts: OrderFacts): string {
  const buyer = facts.loggedIn ? `logged-in customer ${facts.customerId}` : 'a guest';
  const email = facts.billingEmail ?? (facts.billingEmailGiven ? `${quoted(facts.billingEmailGiven)} (not a valid address)` : 'none');
  return `Order ${facts.orderId} was placed by ${buyer}; billing email ${email}.`;
}

function stemSource(facts: OrderFacts): string {
  const details = facts.newAccount;
  switch (facts.codeStemSource) {
    case 'company':
      return `the company name ${quoted(details.invoiceAddress.company)}`;
    case 'name':
      return `the billing name ${quoted([details.invoiceAddress.forename, details.invoiceAddress.surname].filter(Boolean).join(' '))}`;
    case 'email':
      return 'the billing email address';
    default:
      return 'a generic stem (the order has no usable name or email)';
  }
}

/** Confirmed accounts before pending ones, then by code: "first" is the same account every time. */
function preferConfirmed(accounts: MirrorAccount[]): MirrorAccount[] {
  const rank = (a: MirrorAccount) => (a.status === 'active' ? 0 : 1);
  return [...accounts].sort((a, b) => rank(a) - rank(b) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

const codes = (accounts: MirrorAccount[]) => accounts.map((a) => a.code).join(', ');

/** Upper-cases the first letter, except of a setting's name (createAccounts), which is written as it is spelt. */
function capitalise(text: string): string {
  if (/^[a-z]+[A-Z]/.test(text)) return text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** ["a", "b", "c"] → "A, b and c". */
function sentence(clauses: string[]): string {
  const text = clauses.length <= 1 ? (clauses[0] ?? '') : `${clauses.slice(0, -1).join(', ')} and ${clauses[clauses.length - 1]}`;
  return capitalise(text);
}
