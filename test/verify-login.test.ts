import { expect, it, vi } from 'vitest';
import { verifyLogin } from '../src/auth/login.ts';
import * as password from '../src/auth/password.ts';
import { addUser, setUserDisabled } from '../src/auth/users.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { createTestUser, TEST_PASSWORD, TEST_SCRYPT } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

// Spied through, so a test can see which hash an unknown user's password is checked against.
vi.mock('../src/auth/password.ts', async (original) => {
  const actual = await original<typeof import('../src/auth/password.ts')>();
  return { ...actual, hashPassword: vi.fn(actual.hashPassword), verifyPassword: vi.fn(actual.verifyPassword) };
});

const T0 = '2026-11-23T09:00:00.000Z';
const STRONGER = { ...TEST_SCRYPT, ln: TEST_SCRYPT.ln + 1 };

describeEachDialect('verifying a sign-in', (ctx) => {
  const stored = async (username: string) => ctx().db('users').where({ username }).first('password_hash', 'last_login_at', 'updated_at');

  it('when a user signs in and the stored hash is weaker than wanted, then it is rehashed with the wanted parameters and still verifies', async () => {
    const { db } = ctx();
    const name = await createTestUser(db, 'support');
    const user = await verifyLogin(db, name, TEST_PASSWORD, { clock: fixedClock(T0), scrypt: STRONGER });
    expect(user).toMatchObject({ username: name, lastLoginAt: T0 });
    const row = await stored(name);
    expect(row.password_hash).toMatch(/^\$scrypt\$ln=5,r=8,p=1\$/);
    expect(await password.verifyPassword(TEST_PASSWORD, row.password_hash)).toBe(true);
    expect(row.last_login_at).toBe(T0);
  });

  it('when the stored hash is as strong as wanted or stronger, then only the sign-in time is written', async () => {
    const { db } = ctx();
    const name = await createTestUser(db, 'support');
    const before = (await stored(name)).password_hash;
    for (const scrypt of [TEST_SCRYPT, { ...TEST_SCRYPT, ln: TEST_SCRYPT.ln - 1 }]) {
      expect(await verifyLogin(db, name, TEST_PASSWORD, { clock: fixedClock(T0), scrypt })).toMatchObject({ username: name });
    }
    expect(await stored(name)).toMatchObject({ password_hash: before, last_login_at: T0 });
  });

  it('when the password is wrong or the user disabled, then nobody is signed in and nothing is written', async () => {
    const { db } = ctx();
    const wrong = await createTestUser(db, 'support');
    const disabled = await createTestUser(db, 'support');
    await setUserDisabled(db, disabled, true, 'test');
    const before = [await stored(wrong), await stored(disabled)];
    const options = { clock: fixedClock(T0), scrypt: STRONGER };
    expect(await verifyLogin(db, wrong, 'not the password at all', options)).toBeUndefined();
    expect(await verifyLogin(db, disabled, TEST_PASSWORD, options)).toBeUndefined();
    expect([await stored(wrong), await stored(disabled)]).toEqual(before);
  });

  it('when the username is typed padded and in capitals, or is the longest allowed, then it names the user', async () => {
    const { db } = ctx();
    const name = await createTestUser(db, 'support');
    expect(await verifyLogin(db, `  ${name.toUpperCase()} `, TEST_PASSWORD, { clock: fixedClock(T0), scrypt: TEST_SCRYPT })).toMatchObject({
      username: name,
    });
    const longest = `l${'o'.repeat(62)}${Date.now() % 10}`;
    await addUser(db, { username: longest, password: TEST_PASSWORD, role: 'support' }, 'test', { scrypt: TEST_SCRYPT });
    expect(await verifyLogin(db, longest, TEST_PASSWORD, { clock: fixedClock(T0), scrypt: TEST_SCRYPT })).toMatchObject({
      username: longest,
    });
  });

  it('when the password is the longest allowed, then it signs in; one character more never does', async () => {
    const { db } = ctx();
    const name = `long-password-${Date.now() % 100000}`;
    const password = 'p'.repeat(1024);
    await addUser(db, { username: name, password, role: 'support' }, 'test', { scrypt: TEST_SCRYPT });
    const options = { clock: fixedClock(T0), scrypt: TEST_SCRYPT };
    expect(await verifyLogin(db, name, password, options)).toMatchObject({ username: name });
    expect(await verifyLogin(db, name, `${password}p`, options)).toBeUndefined();
    expect(await verifyLogin(db, 'nobody-by-this-name', password, options)).toBeUndefined();
    expect(await verifyLogin(db, '', password, options)).toBeUndefined();
  });

  it('when the user is unknown, then the password is still checked against a hash of the wanted cost, made once per cost', async () => {
    const { db } = ctx();
    const hash = vi.mocked(password.hashPassword);
    const verify = vi.mocked(password.verifyPassword);
    const costs = [STRONGER, { ...STRONGER, r: 4 }];
    for (const scrypt of [...costs, ...costs]) {
      hash.mockClear();
      verify.mockClear();
      expect(await verifyLogin(db, 'nobody-by-this-name', TEST_PASSWORD, { clock: fixedClock(T0), scrypt })).toBeUndefined();
      expect(verify).toHaveBeenCalledTimes(1);
      expect(verify.mock.calls[0]![1]).toMatch(new RegExp(`^\\$scrypt\\$ln=${scrypt.ln},r=${scrypt.r},p=${scrypt.p}\\$`));
    }
    // The last two sign-ins reused the dummy hashes made by the first two.
    expect(hash).not.toHaveBeenCalled();
  });
});
