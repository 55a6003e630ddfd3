import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, createTestUser, startTestApp, TEST_PASSWORD, WOO_KEY, WOO_SECRET, type TestApp } from './helpers/http.ts';
import { registeredRoutes, sampleUrl } from './helpers/routes.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('admin API never reveals secrets', (ctx) => {
  let server: TestApp;
  let owner: Client;
  let tokenSecret: string;
  const answers: string[] = [];
  beforeAll(async () => {
    server = await startTestApp(ctx().db, ctx().url);
    owner = new Client(server.url);
    const name = await createTestUser(ctx().db, 'owner');
    answers.push((await owner.login(name)).text);
    // A failed sign-in, a bearer request and a token issue, so all of them are in the logs.
    answers.push((await new Client(server.url).post('/api/login', { username: name, password: `${TEST_PASSWORD}-wrong` })).text);
    const issued = await owner.post('/api/tokens', { username: name, name: 'scan' });
    tokenSecret = issued.body.secret;
    const api = new Client(server.url);
    api.bearer = tokenSecret;
    answers.push((await api.get('/api/me')).text);
    await owner.post('/api/users', { username: 'second', role: 'support', password: `${TEST_PASSWORD}-2nd` });
    for (const route of registeredRoutes(server.app).filter((r) => r.method === 'GET')) {
      const res = await owner.get(sampleUrl(route.path));
      answers.push(res.text, JSON.stringify(Object.fromEntries(res.headers)));
    }
  });
  afterAll(() => server.close());

  async function storedSecrets(): Promise<string[]> {
    const hashes = (await ctx().db('users').pluck('password_hash')) as string[];
    const sessions = (await ctx().db('sessions').pluck('secret_hash')) as string[];
    const tokens = (await ctx().db('api_tokens').pluck('secret_hash')) as string[];
    return [
      TEST_PASSWORD,
      `${TEST_PASSWORD}-2nd`,
      WOO_KEY,
      WOO_SECRET,
      tokenSecret,
      owner.sessionCookie!,
      ...hashes,
      ...sessions,
      ...tokens,
    ];
  }

  it('when every GET route is read by an owner, then no answer contains a password, hash, token or store key', async () => {
    expect(answers.length).toBeGreaterThan(10);
    const everything = answers.join('\n');
    for (const secret of await storedSecrets()) expect(everything.includes(secret), `leaked ${secret.slice(0, 8)}…`).toBe(false);
    expect(everything).not.toMatch(/\$scrypt\$/);
  });

  it('when the logs of all that are read, then they contain none of the secrets either', async () => {
    const logs = server.logs.join('\n');
    expect(logs).toContain('signed in');
    expect(logs).toContain('sign-in refused');
    for (const secret of [...(await storedSecrets()), `${TEST_PASSWORD}-wrong`])
      expect(logs.includes(secret), `logged ${secret.slice(0, 8)}…`).toBe(false);
  });
});
