import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettingsFile } from '../src/cli/plan-inputs.ts';
import { SETTING_KEYS } from '../src/settings/schema.ts';
import { ENV_VARIABLES, loadConfig, requireStoreConfig } from './env.ts';

const EXAMPLE_ENV = path.join(import.meta.dirname, 'example.env');
const EXAMPLE_SETTINGS = path.join(import.meta.dirname, 'example-settings.json');

interface Assignment {
  name: string;
  value: string;
  commented: boolean;
}

/** `NAME=value` lines, and `# NAME=value` ones a person fills in (the format of systemd and docker env files). */
function assignments(): Assignment[] {
  return fs
    .readFileSync(EXAMPLE_ENV, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      return match ? [{ name: match[2]!, value: match[3]!, commented: match[1] !== undefined }] : [];
    });
}

const envOf = (list: Assignment[]) => Object.fromEntries(list.map((a) => [a.name, a.value]));

describe('config/example.env', () => {
  it('when loaded as it is, then the schema accepts it and it changes nothing: its active lines are the defaults, every secret is left out', () => {
    const active = assignments().filter((a) => !a.commented);
    expect(new Set(active.map((a) => a.name)).size).toBe(active.length);
    expect(loadConfig(envOf(active))).toEqual(loadConfig({}));
  });

  it('when every placeholder is filled in, then the schema accepts each one, and all of them together make a store configuration', () => {
    const all = assignments();
    const defaults = envOf(all.filter((a) => !a.commented));
    for (const a of all) expect(() => loadConfig({ ...defaults, [a.name]: a.value }), `${a.name}=${a.value}`).not.toThrow();
    const filledIn = loadConfig(envOf(all));
    expect(requireStoreConfig(filledIn)).toMatchObject({ url: 'https://shop.example.com' });
    expect(filledIn.databaseUrl).toMatch(/^mysql:\/\//);
  });

  it('when read, then it names every variable the product reads and every one the README documents, and nothing else', () => {
    const named = new Set(assignments().map((a) => a.name));
    expect([...named].sort()).toEqual([...ENV_VARIABLES].sort());
    const readme = fs.readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### Settings'));
    const documented = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)`(?:, `([A-Z][A-Z0-9_]*)`)?/gm)].flatMap((m) =>
      m.slice(1).filter(Boolean),
    );
    expect(documented.length).toBeGreaterThan(10);
    for (const name of documented) expect(named, name).toContain(name);
  });
});

describe('config/example-settings.json', () => {
  it('when given to `woo-sage plan --settings`, then it is read as written, and it shows every setting', () => {
    const document = JSON.parse(fs.readFileSync(EXAMPLE_SETTINGS, 'utf8')) as Record<string, unknown>;
    expect(readSettingsFile(EXAMPLE_SETTINGS)).toEqual(document);
    expect(Object.keys(document).sort()).toEqual([...SETTING_KEYS].sort());
  });
});
