/**
 * Text for xmlbuilder2's `txt()`. xmlbuilder2 4.x assumes text may already be escaped: an "&" that
 * starts something shaped like a reference ("&amp;", "&lt;", "&#1;", "&nbsp;") is written as it is.
 * Shop data is plain text, so "Tom &amp; Jerry" would read back as "Tom & Jerry", and "&#1;" or
 * "&nbsp;" (no such entity in XML) would make the whole file unreadable to the importer. Escaping
 * every "&" first leaves the library nothing to misread; it escapes "<" and ">" itself.
 */
export function plainText(value: string): string {
  return value.replace(/&/g, '&amp;');
}
