export { allocate } from './allocate.ts';
export { codeStem, proposeAccountCode, toCodeAlphabet, MAX_ACCOUNT_CODE_LENGTH } from './account-code.ts';
export { InMemoryMirror } from './in-memory-mirror.ts';
export { contactOf, orderFacts } from './order-facts.ts';
export { normaliseEmail, isPlausibleEmail, normaliseAccountCode, customerOwnerKey, guestOwnerKey } from './normalise.ts';
export type * from './types.ts';
export { unreadableOrderDecision } from './unreadable.ts';
