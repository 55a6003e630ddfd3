import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, passwordProblems, verifyPassword } from './password.ts';

const CHEAP = { ln: 4, r: 8, p: 1 };

describe('password hashing', () => {
  it('when a password is hashed, then the string records scrypt and its parameters, and only that password verifies', async () => {
    const hash = await hashPassword('correct horse battery staple', CHEAP);
    expect(hash).toMatch(/^\$scrypt\$ln=4,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', hash)).toBe(false);
  });

  it('when the same password is hashed twice, then the salts differ', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here', CHEAP), hashPassword('same password here', CHEAP)]);
    expect(a).not.toBe(b);
  });

  it('when a hash is malformed or tampered with, then nothing verifies against it', async () => {
    const hash = await hashPassword('some long password', CHEAP);
    expect(await verifyPassword('some long password', 'plaintext')).toBe(false);
    expect(await verifyPassword('some long password', hash.replace('ln=4', 'ln=5'))).toBe(false);
    expect(await verifyPassword('some long password', hash.replace('ln=4', 'ln=99'))).toBe(false);
  });

  it('when the default hash is used, then it is the OWASP scrypt setting', async () => {
    expect(await hashPassword('a default-cost password')).toMatch(/^\$scrypt\$ln=14,r=8,p=5\$/);
  });

  it('when a hash is weaker than wanted, then it needs rehashing', async () => {
    const hash = await hashPassword('some long password', CHEAP);
    expect(needsRehash(hash, CHEAP)).toBe(false);
    expect(needsRehash(hash, { ln: 5, r: 8, p: 1 })).toBe(true);
    expect(needsRehash('garbage', CHEAP)).toBe(true);
  });

  it('when a new password is checked, then short, padded or huge ones are refused without echoing them', () => {
    expect(passwordProblems('twelve chars')).toEqual([]);
    expect(passwordProblems('eleven char')[0]).toBe('password: must be at least 12 characters');
    expect(passwordProblems(' padded password ')[0]).toContain('whitespace');
    expect(passwordProblems('x'.repeat(2000))[0]).toContain('at most');
  });
});

describe('password hash parameters and limits', () => {
  const salt = 'c2FsdHNhbHRzYWx0c2FsdA'; // 16 bytes
  const key32 = 'a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U'; // 32 bytes
  const key16 = 'a2V5a2V5a2V5a2V5a2V5aw'; // 16 bytes
  const stored = (params: string, key = key32) => `$scrypt$${params}$${salt}$${key}`;

  it('when a hash uses the smallest parameters (ln=1, r=1, p=1), then it still verifies', async () => {
    const hash = await hashPassword('smallest parameters', { ln: 1, r: 1, p: 1 });
    expect(await verifyPassword('smallest parameters', hash)).toBe(true);
  });

  it('when a stored hash has a zero cost, block size or parallelism, or an empty key, then nothing verifies and nothing throws', async () => {
    for (const params of ['ln=0,r=8,p=1', 'ln=4,r=0,p=1', 'ln=4,r=8,p=0']) {
      await expect(verifyPassword('any password at all', stored(params))).resolves.toBe(false);
    }
    // One base64 character is not a whole byte: the key decodes empty, and an empty key would match anything.
    await expect(verifyPassword('any password at all', stored('ln=4,r=8,p=1', 'A'))).resolves.toBe(false);
  });

  it('when a real hash says r=0 or p=0, then it does not verify (Node would read a zero as its default and match)', async () => {
    const hash = await hashPassword('some long password', CHEAP);
    expect(await verifyPassword('some long password', hash.replace('r=8', 'r=0'))).toBe(false);
    expect(await verifyPassword('some long password', hash.replace('p=1', 'p=0'))).toBe(false);
  });

  it('when a hash has text before or after it, then it is malformed', async () => {
    const hash = await hashPassword('some long password', CHEAP);
    expect(await verifyPassword('some long password', `${hash}!`)).toBe(false);
    expect(await verifyPassword('some long password', `x${hash}`)).toBe(false);
  });

  it('when a password is 1024 characters it verifies; 1025 is refused before hashing', async () => {
    const longest = 'p'.repeat(1024);
    expect(await verifyPassword(longest, await hashPassword(longest, CHEAP))).toBe(true);
    const tooLong = 'p'.repeat(1025);
    expect(await verifyPassword(tooLong, await hashPassword(tooLong, CHEAP))).toBe(false);
    expect(passwordProblems(longest)).toEqual([]);
    expect(passwordProblems(tooLong)).toEqual(['password: must be at most 1024 characters']);
  });

  it('when a stored hash costs as much as wanted or more (two-digit parameters, up to ln=20), then it needs no rehash; beyond ln=20 it is malformed', () => {
    expect(needsRehash(stored('ln=14,r=8,p=5'))).toBe(false);
    expect(needsRehash(stored('ln=14,r=10,p=10'))).toBe(false);
    expect(needsRehash(stored('ln=20,r=8,p=5'))).toBe(false);
    expect(needsRehash(stored('ln=21,r=8,p=5'))).toBe(true);
  });

  it('when a stored hash has a lower block size or parallelism than wanted, or a shorter key, then it needs rehashing', () => {
    const wanted = { ln: 14, r: 8, p: 5 };
    expect(needsRehash(stored('ln=14,r=8,p=4'), wanted)).toBe(true);
    expect(needsRehash(stored('ln=14,r=4,p=5'), wanted)).toBe(true);
    expect(needsRehash(stored('ln=14,r=8,p=5', key16), wanted)).toBe(true);
    expect(needsRehash(stored('ln=13,r=8,p=10'), wanted)).toBe(false);
  });
});
