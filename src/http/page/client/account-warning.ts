import { api, withQuery } from './api.ts';
import type { Session } from './session.ts';
import type { AccountList } from './types.ts';

const ACCOUNTS_GET = { method: 'get', path: '/api/accounts' } as const;

/**
 * For each code someone is about to save, why it may be wrong: not in the Sage account mirror, or
 * inactive there. Orders given a code Sage does not have fail at import, so the page warns before
 * saving; a person may still save it (an account created in Sage since the last export). Codes the
 * mirror has (active, or created here and pending) are left out. When the mirror cannot be asked,
 * nothing is said: the save itself still validates.
 */
export async function accountCodeWarnings(session: Session, rawCodes: string[]): Promise<Map<string, string>> {
  const warnings = new Map<string, string>();
  const codes = [...new Set(rawCodes.map((c) => c.trim().toUpperCase()).filter(Boolean))];
  if (codes.length === 0 || !session.can(ACCOUNTS_GET)) return warnings;
  let list: AccountList;
  try {
    list = await api.get<AccountList>(withQuery(ACCOUNTS_GET.path, { codes: codes.join(','), limit: 500 }));
  } catch {
    return warnings;
  }
  const known = new Map(list.accounts.map((a) => [a.code, a.status]));
  for (const code of codes) {
    const status = known.get(code);
    if (status === undefined)
      warnings.set(code, `${code} is not in the Sage account mirror: no imported Sage export lists it and it was not created here.`);
    else if (status === 'inactive')
      warnings.set(code, `${code} is marked inactive in the Sage account mirror (missing from the last full Sage export).`);
  }
  return warnings;
}
