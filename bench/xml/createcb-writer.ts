import { createCB } from 'xmlbuilder2';

/**
 * A candidate, not the product's writer: Sage elements written by xmlbuilder2's streaming writer
 * (`createCB`), as issue 15 asked. It was built and measured, byte for byte the same as the
 * hand-made writer in src/sage/xml-writer.ts but 60–80× slower (BENCHMARKS.md, _Sage XML through
 * xmlbuilder2's streaming writer_), so src/ does not use it. It stays here so that the switch can
 * be re-measured (`npm run bench:xml`) and made when xmlbuilder2 gets faster;
 * test/xml-writer-candidates.test.ts fails the day its output differs from the product's.
 */

type Builder = ReturnType<typeof createCB>;

/** What an element holds: text (escaped by xmlbuilder2; '' writes `<Name/>`) or child elements. */
export type XmlContent = string | ((element: XmlElementWriter) => void);

/** An open element of a document being written: children are added in document order. */
export interface XmlElementWriter {
  add(name: string, content: XmlContent): void;
}

export interface RenderOptions {
  /** Writes `<?xml version="1.0" encoding="utf-8"?>` first (a whole file, not a stored element). */
  declaration?: boolean;
  /**
   * Attributes of the root element, in order: fixed values such as namespace URIs. xmlbuilder2
   * treats an `&` in them as it treats one in text, and a value cannot be split as text is, so a
   * value with an `&` that starts a predefined reference is refused.
   */
  attributes?: Record<string, string>;
}

/**
 * Writes one element and everything in it: no document tree is built, each element is serialized
 * as it is added. Two-space indent, `\n` between lines, no trailing newline, `<Empty/>` for an
 * element without content: the layout of the product's writer. An element holds text or elements,
 * never both (the `XmlContent` type allows nothing else), so indentation never lands inside text.
 * Characters XML 1.0 forbids are passed through, as the product's writer does: the field rules
 * remove them first (src/domain/text.ts `removeXmlForbidden`).
 */
export function renderXml(name: string, content: XmlContent, options: RenderOptions = {}): string {
  const chunks: string[] = [];
  const builder = createCB({
    prettyPrint: true,
    indent: '  ',
    newline: '\n',
    data: (chunk: string) => void chunks.push(chunk),
    // A bad element name, for instance; the builder reports it here instead of throwing.
    error: (err: Error) => {
      throw err;
    },
  });
  const attributes = options.attributes ?? {};
  for (const [key, value] of Object.entries(attributes)) {
    if (SEEMS_ESCAPED.test(value))
      throw new Error(`attribute ${key} of <${name}>: ${JSON.stringify(value)} would not read back as written`);
  }
  if (options.declaration) builder.dec({ version: '1.0', encoding: 'utf-8' });
  builder.ele(name, attributes);
  fill(builder, content);
  builder.end();
  return chunks.join('');
}

function fill(builder: Builder, content: XmlContent): void {
  if (typeof content === 'string') {
    if (content) writeText(builder, content);
    return;
  }
  content({
    add(name, inner) {
      builder.ele(name);
      fill(builder, inner);
      builder.up();
    },
  });
}

// xmlbuilder2's streaming writer escapes `&`, `<` and `>` in text, except an `&` that starts one of
// XML's five predefined entity references (amp, lt, gt, apos or quot, then `;`): that it takes for
// markup a caller escaped already and writes as it is. Shop text is plain text, so a double-encoded
// name must read back exactly as it came. Such an `&` is given to the writer as a text node of its
// own, where nothing follows it and it is escaped like any other; text nodes are written one after
// the other with nothing between them. No escaping is done here: xmlbuilder2 does all of it.
const SEEMS_ESCAPED = /(&)(?=(?:amp|lt|gt|apos|quot);)/;

function writeText(builder: Builder, text: string): void {
  if (!text.includes('&')) {
    builder.txt(text);
    return;
  }
  for (const piece of text.split(SEEMS_ESCAPED)) if (piece) builder.txt(piece);
}
