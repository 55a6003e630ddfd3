import { codeStem } from './account-code.ts';
import { customerOwnerKey, guestOwnerKey, isPlausibleEmail, normaliseAccountCode, normaliseEmail } from './normalise.ts';
import type { BuyerProfile, ManualAccount, NewAccountDetails, OrderAddress, OrderFacts, OrderToAllocate, SageContact } from './types.ts';

/** An order's billing or shipping address as a contact, trimmed; the email is the caller's. */
export function contactOf(address: OrderAddress, email: string): SageContact {
  return {
    title: '',
    forename: address.forename.trim(),
    surname: address.surname.trim(),
    company: address.company.trim(),
    address1: address.address1.trim(),
    address2: address.address2.trim(),
    town: address.town.trim(),
    county: address.county.trim(),
    postcode: address.postcode.trim(),
    country: address.country.trim(),
    telephone: address.telephone.trim(),
    email,
  };
}

function hasAddress(address: OrderAddress): boolean {
  return [address.forename, address.surname, address.company, address.address1, address.town, address.postcode].some((v) => v.trim());
}

/**
 * The facts of one order that allocation decides on. Pure: everything comes in as arguments.
 * `buyer` is the logged-in buyer's profile as far as it is known: `null` when it was looked for
 * and is missing, `undefined` when nobody supplied profiles.
 */
export function orderFacts(order: OrderToAllocate, buyer: BuyerProfile | null | undefined): OrderFacts {
  const loggedIn = order.customerId > 0;
  const view = loggedIn && buyer && buyer.id === order.customerId ? buyer : undefined;
  const customerProfile: OrderFacts['customerProfile'] = !loggedIn
    ? 'guest'
    : view
      ? 'found'
      : buyer === undefined
        ? 'not-looked-up'
        : 'not-found';

  const billingEmailGiven = order.billing.email.trim();
  const normalised = normaliseEmail(billingEmailGiven);
  const billingEmail = normalised && isPlausibleEmail(normalised) ? normalised : null;

  // The order's own meta is specific to this order (set at checkout or by staff), so it wins over
  // the customer's current profile.
  const orderCode = order.profileCode;
  const profileCodeFromCustomer = view?.profileCode;
  const profileCode = orderCode
    ? { raw: orderCode, source: 'order-meta' as const }
    : profileCodeFromCustomer
      ? { raw: profileCodeFromCustomer, source: 'customer-profile' as const }
      : null;
  const overriddenProfileCode =
    orderCode && profileCodeFromCustomer && profileCodeFromCustomer.toUpperCase() !== orderCode.toUpperCase()
      ? profileCodeFromCustomer
      : null;

  const ownerKey = loggedIn ? customerOwnerKey(order.customerId) : billingEmail ? guestOwnerKey(billingEmail) : null;

  const forename = order.billing.forename.trim() || view?.forename.trim() || '';
  const surname = order.billing.surname.trim() || view?.surname.trim() || '';
  const company = order.billing.company.trim() || view?.company.trim() || '';
  const { stem, source } = codeStem({ company, surname, forename, email: billingEmail ?? '' });

  const invoiceAddress = { ...contactOf(order.billing, billingEmail ?? ''), forename, surname, company };
  const newAccount: NewAccountDetails = {
    companyName: company || [forename, surname].filter(Boolean).join(' ') || billingEmail || `WooCommerce order ${order.id}`,
    invoiceAddress,
    deliveryAddress: hasAddress(order.shipping) ? contactOf(order.shipping, '') : null,
    email: billingEmail ?? '',
    telephone: order.billing.telephone.trim(),
    wooCustomerId: loggedIn ? order.customerId : null,
    createdForOrderId: order.id,
  };

  return {
    orderId: order.id,
    customerId: order.customerId,
    loggedIn,
    customerProfile,
    billingEmail,
    billingEmailGiven,
    profileCode,
    overriddenProfileCode,
    ownerKey,
    codeStem: stem,
    codeStemSource: source,
    newAccount,
  };
}

/** The people's choices that bear on orders: accounts assigned by order id, remembered links by billing email. */
export interface ManualChoices {
  assigned: ReadonlyMap<number, ManualAccount>;
  emailLinks: ReadonlyMap<string, ManualAccount>;
}

/** `facts` with the people's choices attached (the rules read them as MANUAL). */
export function withChoices<F extends { orderId: number; billingEmail: string | null }>(
  facts: F,
  choices: ManualChoices,
): F & { assigned: ManualAccount | null; emailLink: ManualAccount | null } {
  return {
    ...facts,
    assigned: choices.assigned.get(facts.orderId) ?? null,
    emailLink: facts.billingEmail ? (choices.emailLinks.get(facts.billingEmail) ?? null) : null,
  };
}

/** The account codes an order's facts name (its profile code, an assigned account, a remembered link), normalised. */
export function codesNamedBy(facts: Pick<OrderFacts, 'profileCode' | 'assigned' | 'emailLink'>): string[] {
  return [facts.profileCode?.raw, facts.assigned?.code, facts.emailLink?.code].flatMap((c) => (c ? [normaliseAccountCode(c)] : []));
}
