import { TextDecoder } from 'node:util';
/**
 * Turns the bytes of an XML file into text for a streaming parser. Sage/Zynk exports are UTF-8;
 * Windows tools also write UTF-16 (with a byte-order mark) or declare windows-1252. Anything else
 * is refused with a message rather than read as garbage.
 */
export class XmlEncodingError extends Error {}

const SUPPORTED: Record<string, string> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
  'iso-8859-1': 'windows-1252',
  'latin-1': 'windows-1252',
  latin1: 'windows-1252',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
};

function encodingOf(head: Uint8Array): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head[0] === 0x3c && head[1] === 0x00) return 'utf-16le';
  if (head[0] === 0x00 && head[1] === 0x3c) return 'utf-16be';
  const declaration = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(Buffer.from(head.subarray(0, 200)).toString('latin1'));
  if (!declaration) return 'utf-8';
  const declared = declaration[1]!.toLowerCase();
  const supported = SUPPORTED[declared];
  if (!supported) throw new XmlEncodingError(`the file declares encoding "${declaration[1]}", which is not supported (use UTF-8)`);
  return supported;
}

const HEAD_BYTES = 200;

export async function* decodeXml(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let head: Uint8Array[] = [];
  let headLength = 0;
  const decode = (bytes: Uint8Array, stream: boolean) => {
    try {
      return decoder!.decode(bytes, { stream });
    } catch {
      throw new XmlEncodingError(`the file is not valid ${decoder!.encoding.toUpperCase()} text`);
    }
  };
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      yield chunk;
      continue;
    }
    if (decoder) {
      yield decode(chunk, true);
      continue;
    }
    // The encoding declaration can straddle chunks: decide once enough of the head is in.
    head.push(chunk);
    headLength += chunk.length;
    if (headLength < HEAD_BYTES) continue;
    const bytes = Buffer.concat(head);
    head = [];
    decoder = new TextDecoder(encodingOf(bytes), { fatal: true });
    yield decode(bytes, true);
  }
  if (!decoder && headLength > 0) {
    const bytes = Buffer.concat(head);
    decoder = new TextDecoder(encodingOf(bytes), { fatal: true });
    yield decode(bytes, true);
  }
  if (decoder) {
    const rest = decode(new Uint8Array(0), false);
    if (rest) yield rest;
  }
}
