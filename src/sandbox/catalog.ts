/**
 * What the sandbox shop sells and who buys there: a UK shop with standard (20%), reduced (5%) and
 * zero-rated (0%) goods, an untaxed gift card, and product names the way WordPress stores them,
 * HTML entities included (`&ndash;`, `&amp;`, `&#8217;`).
 */

export type TaxClass = '' | 'reduced-rate' | 'zero-rate';

export interface Product {
  id: number;
  name: string;
  sku: string;
  /** As entered in the shop: including or excluding VAT depending on the order's prices_include_tax. */
  price: string;
  taxClass: TaxClass;
  taxable: boolean;
  category: string;
}

export const PRODUCTS: readonly Product[] = [
  {
    id: 101,
    name: 'Earl Grey Tea &ndash; Loose Leaf 250g',
    sku: 'TEA-EG-250',
    price: '6.50',
    taxClass: 'zero-rate',
    taxable: true,
    category: 'tea',
  },
  {
    id: 102,
    name: 'English Breakfast Tea Bags (80)',
    sku: 'TEA-EB-80',
    price: '3.95',
    taxClass: 'zero-rate',
    taxable: true,
    category: 'tea',
  },
  { id: 103, name: 'Ceramic Teapot &ndash; 6 Cup', sku: 'POT-6C', price: '24.99', taxClass: '', taxable: true, category: 'homeware' },
  {
    id: 104,
    name: 'Fish &amp; Chips Seasoning 100g',
    sku: 'SEA-FC-100',
    price: '2.25',
    taxClass: 'zero-rate',
    taxable: true,
    category: 'pantry',
  },
  {
    id: 105,
    name: 'Children&#8217;s Wellington Boots',
    sku: 'BOOT-KID',
    price: '18.00',
    taxClass: 'zero-rate',
    taxable: true,
    category: 'clothing',
  },
  { id: 106, name: 'Men&#8217;s Merino Socks (3 pack)', sku: 'SOCK-M3', price: '15.00', taxClass: '', taxable: true, category: 'clothing' },
  {
    id: 107,
    name: 'Baby Car Seat &ndash; Group 0+',
    sku: 'CAR-SEAT-0',
    price: '89.99',
    taxClass: 'reduced-rate',
    taxable: true,
    category: 'baby',
  },
  { id: 108, name: 'Nicotine Patches (7)', sku: 'NRT-7', price: '12.49', taxClass: 'reduced-rate', taxable: true, category: 'health' },
  {
    id: 109,
    name: 'Paperback: The Wind in the Willows',
    sku: 'BOOK-WITW',
    price: '8.99',
    taxClass: 'zero-rate',
    taxable: true,
    category: 'books',
  },
  { id: 110, name: 'Gift Card &pound;25', sku: 'GIFT-25', price: '25.00', taxClass: '', taxable: false, category: 'gift-cards' },
  { id: 111, name: 'Copper Wire (per metre)', sku: 'WIRE-CU-M', price: '0.875', taxClass: '', taxable: true, category: 'hardware' },
  { id: 112, name: 'Wireless Headphones', sku: 'AUDIO-WH1', price: '59.99', taxClass: '', taxable: true, category: 'electronics' },
  { id: 113, name: 'Cotton Tote Bag', sku: 'BAG-TOTE', price: '4.20', taxClass: '', taxable: true, category: 'homeware' },
  {
    id: 114,
    name: 'Scented Candle &ndash; Fig &amp; Cassis',
    sku: 'CANDLE-FC',
    price: '12.95',
    taxClass: '',
    taxable: true,
    category: 'homeware',
  },
  { id: 115, name: 'Organic Honey 340g', sku: 'HONEY-340', price: '7.49', taxClass: 'zero-rate', taxable: true, category: 'pantry' },
  {
    id: 116,
    name: 'Espresso Cups (set of 4) &ndash; &#8220;Caf&eacute;&#8221;',
    sku: 'CUP-ESP4',
    price: '19.5',
    taxClass: '',
    taxable: true,
    category: 'homeware',
  },
];

export interface ShippingMethod {
  methodId: string;
  instanceId: string;
  title: string;
  /** Shipping costs are entered excluding VAT in WooCommerce, whatever the prices setting. */
  cost: string;
  taxable: boolean;
}

export const SHIPPING_METHODS: readonly ShippingMethod[] = [
  { methodId: 'flat_rate', instanceId: '1', title: 'Royal Mail Tracked 48', cost: '3.95', taxable: true },
  { methodId: 'flat_rate', instanceId: '2', title: 'DPD Next Day', cost: '6.50', taxable: true },
  { methodId: 'free_shipping', instanceId: '3', title: 'Free shipping', cost: '0.00', taxable: true },
  { methodId: 'local_pickup', instanceId: '4', title: 'Collect from the shop', cost: '0.00', taxable: false },
];

export interface Fee {
  name: string;
  amount: string;
  taxable: boolean;
}

export const FEES: readonly Fee[] = [
  { name: 'Gift wrapping', amount: '2.50', taxable: true },
  { name: 'Small order fee', amount: '1.50', taxable: true },
  { name: 'Packaging (non-taxable)', amount: '0.99', taxable: false },
];

export interface Coupon {
  code: string;
  kind: 'percent' | 'fixed_cart' | 'free_shipping';
  amount: string;
}

export const COUPONS: readonly Coupon[] = [
  { code: 'welcome10', kind: 'percent', amount: '10' },
  { code: 'tea15', kind: 'percent', amount: '15' },
  { code: 'spring5', kind: 'fixed_cart', amount: '5.00' },
  { code: 'freeship', kind: 'free_shipping', amount: '0' },
];

export const FIRST_NAMES = [
  'Oliver',
  'Amelia',
  'George',
  'Isla',
  'Harry',
  'Ava',
  'Noah',
  'Mia',
  'Jack',
  'Ivy',
  'Leo',
  'Lily',
  'Arthur',
  'Freya',
  'Muhammad',
  'Florence',
  'Oscar',
  'Grace',
  'Charlie',
  'Evie',
  'Thomas',
  'Sophie',
  'Aled',
  'Siobhan',
  'Rhys',
  'Niamh',
  'Priya',
  'Aarav',
  'Chloe',
  'Callum',
  'Eilidh',
  'Seán',
  'Zoë',
  'Renée',
] as const;

export const LAST_NAMES = [
  'Smith',
  'Jones',
  'Williams',
  'Taylor',
  'Brown',
  'Davies',
  'Evans',
  'Wilson',
  'Thomas',
  'Johnson',
  'Roberts',
  'Robinson',
  'Thompson',
  'Wright',
  'Walker',
  'White',
  'Edwards',
  'Hughes',
  'Green',
  'Hall',
  'Harrison',
  'Patel',
  'Khan',
  'O’Brien',
  'MacDonald',
  'Fitzgerald',
  'Singh',
  'Ahmed',
  'Clarke',
  'Lewis',
  'Llewellyn',
  'Ó Súilleabháin',
  'Smythe-Jones',
  'Nguyen',
] as const;

export interface Place {
  town: string;
  county: string;
  postcodeArea: string;
}

export const PLACES: readonly Place[] = [
  { town: 'Newcastle upon Tyne', county: 'Tyne and Wear', postcodeArea: 'NE' },
  { town: 'Manchester', county: 'Greater Manchester', postcodeArea: 'M' },
  { town: 'Leeds', county: 'West Yorkshire', postcodeArea: 'LS' },
  { town: 'Bristol', county: '', postcodeArea: 'BS' },
  { town: 'Cardiff', county: 'South Glamorgan', postcodeArea: 'CF' },
  { town: 'Edinburgh', county: 'Midlothian', postcodeArea: 'EH' },
  { town: 'Belfast', county: 'County Antrim', postcodeArea: 'BT' },
  { town: 'Norwich', county: 'Norfolk', postcodeArea: 'NR' },
  { town: 'Bath', county: 'Somerset', postcodeArea: 'BA' },
  { town: 'London', county: '', postcodeArea: 'SW' },
  { town: 'London', county: '', postcodeArea: 'EC' },
  { town: 'Stoke-on-Trent', county: 'Staffordshire', postcodeArea: 'ST' },
];

export const STREETS = [
  'High Street',
  'Station Road',
  'Church Lane',
  'Victoria Road',
  'Green Lane',
  'Manor Road',
  'Park Avenue',
  'Mill Lane',
  'The Crescent',
  'Queen’s Road',
  'King Street',
  'Fleming Business Centre',
] as const;

export const COMPANY_WORDS = [
  'Harbour',
  'Northern',
  'Oak',
  'Thistle',
  'Riverside',
  'Castle',
  'Meadow',
  'Pennine',
  'Beacon',
  'Anchor',
] as const;
export const COMPANY_KINDS = ['Catering Ltd', 'Tea Rooms', 'Hotels Limited', '& Sons', 'Trading Co.', 'Cafés LLP', 'Stores'] as const;

export const EMAIL_DOMAINS = [
  'gmail.com',
  'btinternet.com',
  'outlook.com',
  'yahoo.co.uk',
  'hotmail.co.uk',
  'icloud.com',
  'sky.com',
] as const;

export const PAYMENT_METHODS = [
  { id: 'stripe', title: 'Credit / debit card' },
  { id: 'ppcp-gateway', title: 'PayPal' },
  { id: 'bacs', title: 'Direct bank transfer' },
  { id: 'cod', title: 'Cash on collection' },
] as const;

export const REFUND_REASONS = ['Damaged in transit', 'Customer changed their mind', '', 'Item out of stock', 'Goodwill gesture'] as const;
