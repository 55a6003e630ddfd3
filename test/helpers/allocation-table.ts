import type { Rule } from '../../src/domain/allocation/types.ts';

/**
 * The account-code decision table of seed 004 (plus DESIGN.md's ambiguity rule), written as the
 * source writes it: rows of conditions, "-" meaning any; the first row that fits gives the rule.
 * Tests run every combination of the four customer settings × profile/no profile ×
 * logged-in/guest × 0/1/2 accounts matching the billing email through it.
 */
export interface AllocationCase {
  defaultAccountCode: boolean;
  searchSageByEmail: boolean;
  createAccounts: boolean;
  createAccountsForLoggedInOnly: boolean;
  profile: boolean;
  loggedIn: boolean;
  matches: 0 | 1 | 2;
}

type Y = 'Y' | 'N' | '-';
//            profile  search  matches            create  loggedInOnly  loggedIn  default  → rule
type Row = [Y, Y, '0' | '1' | '2' | '-', Y, Y, Y, Y, Rule];
const TABLE: Row[] = [
  ['Y', '-', '-', '-', '-', '-', '-', 'PROFILE'],
  ['N', 'Y', '1', '-', '-', '-', '-', 'EXISTING'],
  ['N', 'Y', '2', '-', '-', '-', '-', 'NONE'], // ambiguous: held for a person (onAmbiguousEmail hold)
  ['N', '-', '-', 'Y', 'N', '-', '-', 'NEW'],
  ['N', '-', '-', 'Y', 'Y', 'Y', '-', 'NEW'],
  ['N', '-', '-', '-', '-', '-', 'Y', 'DEFAULT'],
  ['N', '-', '-', '-', '-', '-', 'N', 'NONE'],
];

const fits = (cell: string, value: boolean | number) =>
  cell === '-' || cell === (typeof value === 'number' ? String(value) : value ? 'Y' : 'N');

export function expectedRule(c: AllocationCase): Rule {
  const values = [
    c.profile,
    c.searchSageByEmail,
    c.matches,
    c.createAccounts,
    c.createAccountsForLoggedInOnly,
    c.loggedIn,
    c.defaultAccountCode,
  ];
  const row = TABLE.find((r) => values.every((v, i) => fits(r[i]!, v)));
  if (!row) throw new Error(`decision table has no row for ${JSON.stringify(c)}`);
  return row[7];
}

export function allCases(): AllocationCase[] {
  const cases: AllocationCase[] = [];
  const bools = [false, true];
  for (const defaultAccountCode of bools)
    for (const searchSageByEmail of bools)
      for (const createAccounts of bools)
        for (const createAccountsForLoggedInOnly of bools)
          for (const profile of bools)
            for (const loggedIn of bools)
              for (const matches of [0, 1, 2] as const)
                cases.push({
                  defaultAccountCode,
                  searchSageByEmail,
                  createAccounts,
                  createAccountsForLoggedInOnly,
                  profile,
                  loggedIn,
                  matches,
                });
  return cases;
}

export function describeCase(c: AllocationCase): string {
  const on = (name: string, value: boolean) => `${name}=${value ? 'on' : 'off'}`;
  return [
    c.defaultAccountCode ? 'default=CASH' : 'default=none',
    on('search', c.searchSageByEmail),
    on('create', c.createAccounts),
    on('loggedInOnly', c.createAccountsForLoggedInOnly),
    c.profile ? 'profile code' : 'no profile code',
    c.loggedIn ? 'logged in' : 'guest',
    `${c.matches} matching account(s)`,
  ].join(', ');
}

/** The fixed world every case runs in. */
export const TABLE_WORLD = {
  buyerEmail: 'jo.harrison@example.com',
  customerId: 501,
  profileCode: 'PROF01',
  matchCodes: ['MATCH1', 'MATCH2'],
  // HARRIS01 is taken by someone else, so the new code must be the lowest free: HARRIS02.
  takenCode: 'HARRIS01',
  newCode: 'HARRIS02',
  defaultCode: 'CASH',
} as const;

export function expectedAccountCode(rule: Rule): string | null {
  switch (rule) {
    case 'PROFILE':
      return TABLE_WORLD.profileCode;
    case 'EXISTING':
      return TABLE_WORLD.matchCodes[0];
    case 'NEW':
      return TABLE_WORLD.newCode;
    case 'DEFAULT':
      return TABLE_WORLD.defaultCode;
    default:
      return null;
  }
}

/** A WooCommerce order of the case's buyer, as the REST API returns it. */
export function caseOrder(c: AllocationCase, id: number): Record<string, unknown> {
  return {
    id,
    status: 'processing',
    total: '12.00',
    customer_id: c.loggedIn ? TABLE_WORLD.customerId : 0,
    billing: { first_name: 'Jo', last_name: 'Harrison', email: ` ${TABLE_WORLD.buyerEmail.toUpperCase()} `, phone: '0191 000 0000' },
    // A guest can only carry a code on the order itself.
    meta_data: c.profile && !c.loggedIn ? [{ id: 1, key: 'sage_account_code', value: TABLE_WORLD.profileCode }] : [],
  };
}

export function caseSettings(c: AllocationCase) {
  return {
    defaultAccountCode: c.defaultAccountCode ? TABLE_WORLD.defaultCode : '',
    searchSageByEmail: c.searchSageByEmail,
    createAccounts: c.createAccounts,
    createAccountsForLoggedInOnly: c.createAccountsForLoggedInOnly,
  };
}
