import { type GeneratorConfig, REST_PREFIX } from './generator-config.ts';
import { makeIdentity, emailLocalPart } from './people.ts';
import { wooEscaped, wooEscapedAddress } from './wc-text.ts';
import { hashInts, Rng } from './random.ts';
import { gmtText, londonText } from './wc-dates.ts';

const CUSTOMER_STREAM = 2;
const DAY = 86_400;

/**
 * How a customer's profile account code looks: `valid` as Sage has it, `messy` (lower case,
 * padded) but valid once normalised, `malformed` (never a Sage code), `unknown` (well formed but
 * not in Sage), or none at all.
 */
export type ProfileCodeKind = 'valid' | 'messy' | 'malformed' | 'unknown' | 'none';

export interface CustomerFacts {
  id: number;
  identity: ReturnType<typeof makeIdentity>;
  role: string;
  profileCode: string | undefined;
  profileKind: ProfileCodeKind;
  createdSec: number;
}

/** Letters of a name for account codes: "O’Brien" → "OBRIEN". */
export function codeStem(name: string, length = 6): string {
  return emailLocalPart(name).replace(/\./g, '').toUpperCase().slice(0, length) || 'CUST';
}

export function customerFacts(config: GeneratorConfig, id: number): CustomerFacts {
  const rng = Rng.for(config.seed, CUSTOMER_STREAM, id);
  const identity = makeIdentity(rng, 0.25);
  const role = rng.weighted([
    ['customer', 85],
    ['wholesale_customer', 10],
    ['subscriber', 5],
  ] as const);
  const stem = codeStem(identity.company || identity.last_name);
  const number = String((hashInts(config.seed, 7, id) % 40) + 1).padStart(2, '0');
  const kind: ProfileCodeKind = rng.chance(role === 'wholesale_customer' ? 0.8 : 0.22)
    ? rng.weighted([
        ['valid', 80],
        ['messy', 10],
        ['malformed', 5],
        ['unknown', 5],
      ] as const)
    : 'none';
  const code =
    kind === 'valid'
      ? `${stem}${number}`
      : kind === 'messy'
        ? `  ${stem.toLowerCase()}${number} `
        : kind === 'malformed'
          ? `${stem}-${number}-ACCOUNT`
          : kind === 'unknown'
            ? `ZZ${stem.slice(0, 4)}${number}`
            : undefined;
  return {
    id,
    identity,
    role,
    profileCode: code,
    profileKind: kind,
    createdSec: config.startSec - rng.int(30, 900) * DAY + rng.int(0, DAY),
  };
}

/** A customer as `GET /wp-json/wc/v3/customers/{id}` returns it. */
export function generateCustomer(config: GeneratorConfig, id: number): Record<string, unknown> {
  const facts = customerFacts(config, id);
  const rng = Rng.for(config.seed, CUSTOMER_STREAM + 100, id);
  const { identity } = facts;
  const modifiedSec = facts.createdSec + rng.int(0, 20) * DAY;
  const meta: Array<Record<string, unknown>> = [];
  if (facts.profileCode !== undefined) meta.push({ id: id * 10 + 1, key: config.profileMetaKey, value: facts.profileCode });
  if (rng.chance(0.6)) meta.push({ id: id * 10 + 2, key: 'wc_last_active', value: String(modifiedSec - (modifiedSec % DAY)) });
  const { email, phone, ...address } = identity;
  return {
    id,
    date_created: londonText(facts.createdSec),
    date_created_gmt: gmtText(facts.createdSec),
    date_modified: londonText(modifiedSec),
    date_modified_gmt: gmtText(modifiedSec),
    email,
    first_name: wooEscaped(identity.first_name),
    last_name: wooEscaped(identity.last_name),
    role: facts.role,
    username: email.split('@')[0],
    billing: wooEscapedAddress({ ...address, email, phone }),
    shipping: wooEscapedAddress({ ...address, phone: '' }),
    is_paying_customer: true,
    avatar_url: `https://secure.gravatar.com/avatar/${rng.hex(32)}?s=96&d=mm&r=g`,
    meta_data: meta,
    _links: {
      self: [{ href: `${config.origin}${REST_PREFIX}/customers/${id}` }],
      collection: [{ href: `${config.origin}${REST_PREFIX}/customers` }],
    },
  };
}
