import { describe, expect, it } from 'vitest';
import { dropForbiddenReferences, type DroppedReference } from './xml-forbidden-references.ts';

async function filter(chunks: string[]): Promise<{ text: string; dropped: DroppedReference[] }> {
  const dropped: DroppedReference[] = [];
  async function* source() {
    yield* chunks;
  }
  let text = '';
  for await (const piece of dropForbiddenReferences(source(), (d) => dropped.push(d))) text += piece;
  return { text, dropped };
}

const XML = [
  '<?xml version="1.0"?>',
  '<Company a="x&#1;y">',
  '<Memo>on holiday.&#x0;</Memo>',
  '<Keep>&#65;&#x20AC;&#9;&#x1F600;&amp;#x0;</Keep>',
  '<!-- a comment &#x0; stays -->',
  '<Raw><![CDATA[&#x0; is text here]]></Raw>',
  '<?pi &#0; ?>',
  '<Bad>&#xFFFE;&#xD800;&#1114112;&#0000000;</Bad>',
  '</Company>',
].join('\n');
const CLEAN = XML.replace('&#1;', '').replace('.&#x0;<', '.<').replace('&#xFFFE;&#xD800;&#1114112;&#0000000;', '');

describe('dropForbiddenReferences', () => {
  it('when references to characters XML 1.0 forbids appear in text or attributes, then they are dropped and each is reported with its line; allowed ones, escaped ones, CDATA, comments and PIs are left alone', async () => {
    const { text, dropped } = await filter([XML]);
    expect(text).toBe(CLEAN);
    expect(dropped).toEqual([
      { line: 2, reference: '&#1;' },
      { line: 3, reference: '&#x0;' },
      { line: 8, reference: '&#xFFFE;' },
      { line: 8, reference: '&#xD800;' },
      { line: 8, reference: '&#1114112;' },
      { line: 8, reference: '&#0000000;' },
    ]);
  });

  it('when the text arrives in chunks split at any point, then the result is the same', async () => {
    const whole = await filter([XML]);
    for (let cut = 1; cut < XML.length; cut++) {
      expect(await filter([XML.slice(0, cut), XML.slice(cut)])).toEqual(whole);
    }
    expect(await filter(Array.from(XML))).toEqual(whole);
  });
});
