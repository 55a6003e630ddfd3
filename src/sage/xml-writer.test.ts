import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { element, type XmlNode } from './xml-writer.ts';
import { plainText } from './xml-text.ts';
import { parseXmlTree } from './xml-tree.ts';
import { hostileXmlPiece, readableXmlText } from '../../test/helpers/hostile-xml-text.ts';

type Tree = { name: string; text: string } | { name: string; children: Tree[] };

const name = fc.constantFrom('SalesOrder', 'Id', 'Item', 'Sku', 'Name', 'Notes1', 'Email', 'A');
// Text that looks like a reference ("&amp;", "AT&T;", "&#1;") included: the reference writes it
// through plainText, as every xmlbuilder2 text in src/ is (xml-text.ts).
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    'x & y < z > " \' ]]>',
    '\t tab\r\n nl',
    'é 😀 مرحبا',
    '<![CDATA[x]]>',
    'R&D',
    'AT&T; Ltd',
    '&amp;',
    '&#1;',
    '&nbsp;',
  ),
);
const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ name, text }),
    fc.record({ name, children: fc.array(tie('tree'), { minLength: 1, maxLength: 4 }) }),
  ),
})).tree;

function reference(t: Tree): string {
  const root = create().ele(t.name);
  const add = (node: ReturnType<typeof create>, sub: Tree) => {
    if ('text' in sub) {
      if (sub.text) node.txt(plainText(sub.text));
      return;
    }
    for (const child of sub.children) add(node.ele(child.name), child);
  };
  add(root, t);
  return root.end({ headless: true, prettyPrint: true });
}

function ours(t: Tree): string {
  const root = element(t.name);
  const add = (node: XmlNode, sub: Tree) => {
    if ('text' in sub) {
      if (sub.text) node.text(sub.text);
      return;
    }
    for (const child of sub.children) add(node.ele(child.name), child);
  };
  add(root, t);
  return root.end();
}

describe('xml writer', () => {
  it('when any element tree with text leaves is written, then the output is exactly what xmlbuilder2 writes for plain text', () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(ours(t)).toBe(reference(t));
      }),
      { numRuns: 500 },
    );
  });

  it('when text contains what looks like an entity (AT&T;, &amp;, &#38;), then every ampersand is escaped and the text reads back unchanged', () => {
    for (const value of ['AT&T; Ltd', '&amp;', 'Tom &amp; Jerry', 'a &#38; b', 'Fish &chips; & peas', '&quot;&apos;&lt;&gt;']) {
      const xml = element('Name').text(value).end();
      expect(parseXmlTree(xml).text).toBe(value);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        const clean = readableXmlText(value);
        expect(parseXmlTree(element('Name').text(clean).end()).text).toBe(clean);
      }),
    );
    fc.assert(
      fc.property(
        fc.array(hostileXmlPiece).map((parts) => readableXmlText(parts.join(''))),
        (value) => {
          expect(parseXmlTree(element('Name').text(value).end()).text).toBe(value);
        },
      ),
    );
  });

  it('when text looks already escaped, then every ampersand is escaped once more and nothing else changes', () => {
    const cases: Array<[string, string]> = [
      ['Tom &amp; Jerry', '<Name>Tom &amp;amp; Jerry</Name>'],
      ['&lt;b&gt;', '<Name>&amp;lt;b&amp;gt;</Name>'],
      ['&apos;&quot;', '<Name>&amp;apos;&amp;quot;</Name>'],
      ['&&amp;', '<Name>&amp;&amp;amp;</Name>'],
      ['AT&T; &#1; &nbsp;', '<Name>AT&amp;T; &amp;#1; &amp;nbsp;</Name>'],
      ['a < b > c "q" \'s\'', '<Name>a &lt; b &gt; c "q" \'s\'</Name>'],
      ['é 😀\t\r\n', '<Name>é 😀\t\r\n</Name>'],
      ['', '<Name/>'],
    ];
    for (const [value, xml] of cases) expect(element('Name').text(value).end()).toBe(xml);
  });

  it('when an element would hold both text and elements, then it refuses instead of writing something else', () => {
    const root = element('A').text('x');
    root.ele('B');
    expect(() => root.end()).toThrow(/both text and elements/);
  });
});
