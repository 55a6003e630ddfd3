import { metaText, type WooAddress, type WooCustomer, type WooOrder } from '../../woo/schemas.ts';
import { codeStem } from './account-code.ts';
import { customerOwnerKey, guestOwnerKey, isPlausibleEmail, normaliseEmail } from './normalise.ts';
import type { AllocationSettings, NewAccountDetails, OrderFacts, SageContact } from './types.ts';

/** A row of `woo_customers` (profile_code holds the trimmed value of the profile meta key). */
export interface WooCustomerRow {
  id: number;
  profile_code: string | null;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
}

/**
 * The buyer's profile as far as it is known: a WooCommerce customer object, a `woo_customers` row,
 * `null` when it was looked for and is missing, `undefined` when nobody supplied profiles.
 */
export type CustomerInput = WooCustomer | WooCustomerRow | null | undefined;

interface CustomerView {
  profileCode: string | undefined;
  company: string;
  surname: string;
  forename: string;
}

function viewOf(customer: WooCustomer | WooCustomerRow, settings: Pick<AllocationSettings, 'profileMetaKey'>): CustomerView {
  if ('meta_data' in customer) {
    return {
      profileCode: metaText(customer.meta_data, settings.profileMetaKey),
      company: customer.billing.company,
      surname: customer.last_name || customer.billing.last_name,
      forename: customer.first_name || customer.billing.first_name,
    };
  }
  const code = (customer.profile_code ?? '').trim();
  return {
    profileCode: code === '' ? undefined : code,
    company: customer.company ?? '',
    surname: customer.last_name ?? '',
    forename: customer.first_name ?? '',
  };
}

/** A WooCommerce billing or shipping address as a contact, trimmed; the email is the caller's. */
export function contactOf(address: WooAddress, email: string): SageContact {
  return {
    title: '',
    forename: address.first_name.trim(),
    surname: address.last_name.trim(),
    company: address.company.trim(),
    address1: address.address_1.trim(),
    address2: address.address_2.trim(),
    town: address.city.trim(),
    county: address.state.trim(),
    postcode: address.postcode.trim(),
    country: address.country.trim(),
    telephone: address.phone.trim(),
    email,
  };
}

function hasAddress(address: WooAddress): boolean {
  return [address.first_name, address.last_name, address.company, address.address_1, address.city, address.postcode].some((v) => v.trim());
}

/** The facts of one order that allocation decides on. Pure: everything comes in as arguments. */
export function orderFacts(order: WooOrder, customer: CustomerInput, settings: Pick<AllocationSettings, 'profileMetaKey'>): OrderFacts {
  const loggedIn = order.customer_id > 0;
  const view = loggedIn && customer && customer.id === order.customer_id ? viewOf(customer, settings) : undefined;
  const customerProfile: OrderFacts['customerProfile'] = !loggedIn
    ? 'guest'
    : view
      ? 'found'
      : customer === undefined
        ? 'not-looked-up'
        : 'not-found';

  const billingEmailGiven = order.billing.email.trim();
  const normalised = normaliseEmail(billingEmailGiven);
  const billingEmail = normalised && isPlausibleEmail(normalised) ? normalised : null;

  // The order's own meta is specific to this order (set at checkout or by staff), so it wins over
  // the customer's current profile.
  const orderCode = metaText(order.meta_data, settings.profileMetaKey);
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

  const ownerKey = loggedIn ? customerOwnerKey(order.customer_id) : billingEmail ? guestOwnerKey(billingEmail) : null;

  const forename = order.billing.first_name.trim() || view?.forename.trim() || '';
  const surname = order.billing.last_name.trim() || view?.surname.trim() || '';
  const company = order.billing.company.trim() || view?.company.trim() || '';
  const { stem, source } = codeStem({ company, surname, forename, email: billingEmail ?? '' });

  const invoiceAddress = { ...contactOf(order.billing, billingEmail ?? ''), forename, surname, company };
  const newAccount: NewAccountDetails = {
    companyName: company || [forename, surname].filter(Boolean).join(' ') || billingEmail || `WooCommerce order ${order.id}`,
    invoiceAddress,
    deliveryAddress: hasAddress(order.shipping) ? contactOf(order.shipping, '') : null,
    email: billingEmail ?? '',
    telephone: order.billing.phone.trim(),
    wooCustomerId: loggedIn ? order.customer_id : null,
    createdForOrderId: order.id,
  };

  return {
    orderId: order.id,
    customerId: order.customer_id,
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
