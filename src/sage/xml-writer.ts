/**
 * A small element writer for the documents we render thousands of times per sync: the same output
 * as xmlbuilder2's `end({ headless: true, prettyPrint: true })` for element-only trees whose leaves
 * hold text (two-space indent, `<Empty/>`), at a fraction of the cost: no DOM, just strings.
 * xmlbuilder2 stays the reference it is tested against. Text is plain text: every `&`, `<` and `>`
 * is escaped (xmlbuilder2 leaves an `&` that looks like a reference as it is, see xml-text.ts).
 */
export class XmlNode {
  private readonly children: XmlNode[] = [];
  private content = '';

  constructor(readonly name: string) {}

  /** Appends a child element and returns it. */
  ele(name: string): XmlNode {
    const child = new XmlNode(name);
    this.children.push(child);
    return child;
  }

  /** Appends text to this element (a leaf: it has no child elements); escaped when written. */
  text(value: string): this {
    this.content += value;
    return this;
  }

  /** The element as pretty-printed XML, without a declaration. */
  end(): string {
    const lines: string[] = [];
    this.write('', lines);
    return lines.join('\n');
  }

  private write(indent: string, lines: string[]): void {
    if (this.children.length === 0) {
      lines.push(this.content ? `${indent}<${this.name}>${escapeText(this.content)}</${this.name}>` : `${indent}<${this.name}/>`);
      return;
    }
    if (this.content) throw new Error(`<${this.name}> has both text and elements; the writer does not mix them`);
    lines.push(`${indent}<${this.name}>`);
    const inner = `${indent}  `;
    for (const child of this.children) child.write(inner, lines);
    lines.push(`${indent}</${this.name}>`);
  }
}

/** The root element of a document. */
export function element(name: string): XmlNode {
  return new XmlNode(name);
}

const TEXT_SPECIAL = /[&<>]/;
const TEXT_SPECIALS = /[&<>]/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escapeText(text: string): string {
  return TEXT_SPECIAL.test(text) ? text.replace(TEXT_SPECIALS, (c) => ENTITY[c]!) : text;
}
