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
