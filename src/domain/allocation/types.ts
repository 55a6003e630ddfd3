/**
 * The rule that decided an order's Sage account (source: seed 004, DESIGN.md "Account-code rules");
 * MANUAL: a person chose the account (for this order, or for every order from its billing email).
 */
export type Rule = 'MANUAL' | 'PROFILE' | 'EXISTING' | 'NEW' | 'DEFAULT' | 'NONE';

/**
 * The settings allocation reads: keys of the settings document (src/settings/schema.ts validates
 * them and its output is passed here as it is).
 */
export interface AllocationSettings {
  defaultAccountCode: string;
  searchSageByEmail: boolean;
  createAccounts: boolean;
  createAccountsForLoggedInOnly: boolean;
  onAmbiguousEmail: 'hold' | 'first';
  requireKnownProfileCode: boolean;
  accountCodePattern: string;
  /** The customer/order meta key that holds a Sage account code (named in the decision's reasons). */
  profileMetaKey: string;
}

/** A compiled accountCodePattern (account-code-pattern.ts compiles only safe ones). */
export interface AccountCodePattern {
  readonly source: string;
  test(code: string): boolean;
}

/** One line of "why": which step was looked at, what came of it, in words a support person reads. */
export interface TraceStep {
  step: 'ORDER' | 'MANUAL' | 'PROFILE' | 'EXISTING' | 'NEW' | 'DEFAULT' | 'NONE';
  result: 'noted' | 'applied' | 'skipped' | 'held' | 'waiting';
  detail: string;
}

export interface Decision {
  rule: Rule;
  /** The Sage account reference; for NEW the code to be created; null for NONE. */
  accountCode: string | null;
  /** One sentence for a person: why this account, or why the order is held. */
  reason: string;
  trace: TraceStep[];
  /**
   * Set when the order must wait rather than be held (rule NONE, no account): SAGE_ACCOUNTS = it
   * needs a new account, and no new code is made before Sage's own accounts are known.
   */
  waitFor?: 'SAGE_ACCOUNTS';
}

/** What allocation knows about the world beyond one order. */
export interface AllocationContext {
  /**
   * A Sage customer export has been imported, or an owner confirmed Sage has no customers yet.
   * Until then a NEW code could be one Sage already uses for somebody else.
   */
  sageAccountsKnown: boolean;
}

/** A person's choice of account: for this one order, or remembered for its billing email. */
export interface ManualAccount {
  code: string;
  /** Who chose it, and when (UTC ISO). */
  by: string;
  at: string;
  reason: string | null;
  source: 'order' | 'email-link';
  /** For an email link: the (normalised) email it is remembered for, and the order it was made from. */
  email?: string;
  fromOrderId?: number | null;
}

/** active/inactive come from Sage's exports; pending = created by us, not yet seen in an export. */
export type AccountStatus = 'active' | 'inactive' | 'pending';

export interface MirrorAccount {
  code: string;
  name: string | null;
  status: AccountStatus;
  /** For accounts we created: "customer:<woo id>" or "guest:<email>". */
  ownerKey: string | null;
  /** Normalised (trimmed, case-folded) addresses of every email field of the account. */
  emails: string[];
  /**
   * For an account created here whose code an imported Sage account also has (another buyer):
   * what clashes, in words. Nothing may go to it until a person re-codes it.
   */
  clash?: string | null;
}

/** What allocation may ask of the Sage account mirror. Synchronous: callers preload what is needed. */
export interface AccountLookup {
  byCode(code: string): MirrorAccount | undefined;
  /** Every account (any status) with this normalised email in any of its email fields. */
  byEmail(email: string): MirrorAccount[];
  byOwner(ownerKey: string): MirrorAccount | undefined;
  /** True when the code belongs to an account of any status (codes are never reused). */
  isCodeTaken(code: string): boolean;
}

/** A name-and-address block in the shape of Sage's CustomerInvoiceAddress / CustomerDeliveryAddress. */
export interface SageContact {
  title: string;
  forename: string;
  surname: string;
  company: string;
  address1: string;
  address2: string;
  town: string;
  county: string;
  postcode: string;
  country: string;
  telephone: string;
  email: string;
}

/** What the Customer document of an account we create needs; stored in `sage_accounts.details`. */
export interface NewAccountDetails {
  /** Sage CompanyName: the company, else "Forename Surname", else the email. */
  companyName: string;
  invoiceAddress: SageContact;
  deliveryAddress: SageContact | null;
  /** Normalised billing email, '' when the order had none. */
  email: string;
  telephone: string;
  wooCustomerId: number | null;
  /** The WooCommerce order that caused the account to be created. */
  createdForOrderId: number;
}

/**
 * A name and address as the shop holds it (an order's billing or shipping address), untrimmed:
 * allocation trims what it reads. `src/woo/domain-inputs.ts` maps WooCommerce's into it.
 */
export interface OrderAddress {
  forename: string;
  surname: string;
  company: string;
  address1: string;
  address2: string;
  town: string;
  county: string;
  postcode: string;
  country: string;
  email: string;
  telephone: string;
}

/** What allocation reads of an order. */
export interface OrderToAllocate {
  id: number;
  /** The shop's customer id of a logged-in buyer; 0 for a guest. */
  customerId: number;
  billing: OrderAddress;
  shipping: OrderAddress;
  /** The account code in the order's own meta (the profileMetaKey), trimmed; undefined when none. */
  profileCode: string | undefined;
}

/** A logged-in buyer's profile in the shop, as far as allocation reads it. */
export interface BuyerProfile {
  /** The shop's customer id. */
  id: number;
  /** The account code in the profile (the profileMetaKey), trimmed; undefined when none. */
  profileCode: string | undefined;
  company: string;
  surname: string;
  forename: string;
}

export type ProfileCodeSource = 'order-meta' | 'customer-profile';

export interface OrderFacts {
  orderId: number;
  customerId: number;
  /** customer_id > 0: the buyer was logged in when the order was placed. */
  loggedIn: boolean;
  /**
   * For a logged-in buyer: whether their WooCommerce profile was available. 'not-found' means it
   * was looked for and is missing (held: it may carry a code); 'not-looked-up' means nobody
   * supplied profiles (plan without --customers) and is only noted.
   */
  customerProfile: 'guest' | 'found' | 'not-found' | 'not-looked-up';
  /** Normalised billing email when present and plausible, else null. */
  billingEmail: string | null;
  /** The billing email as given (trimmed), for messages. */
  billingEmailGiven: string;
  profileCode: { raw: string; source: ProfileCodeSource } | null;
  /** The customer's profile code when the order's own meta took precedence and says something else. */
  overriddenProfileCode: string | null;
  /** Who a new account would belong to; null for a guest without a usable email. */
  ownerKey: string | null;
  codeStem: string;
  codeStemSource: 'company' | 'name' | 'email' | 'fallback';
  newAccount: NewAccountDetails;
  /** An account a person assigned to this order (wins over every rule). */
  assigned?: ManualAccount | null;
  /** An account a person remembered for this billing email (used when the order carries no usable code). */
  emailLink?: ManualAccount | null;
}
