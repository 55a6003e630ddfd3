/**
 * The words of a notification digest: what each order's problem is and where to see it. Pure: the
 * problems and the page's address in, the email's subject and body and the webhook's text out.
 */
export type ProblemKind = 'held' | 'failed' | 'changed';

export interface OrderProblem {
  /** Stable per problem: the same problem is never told twice, a new one on the same order is. */
  key: string;
  orderId: number;
  kind: ProblemKind;
  /** The reason as recorded (last_error, or the change and what to do in Sage): shop data, untrusted. */
  text: string;
}

export interface DigestText {
  subject: string;
  /** Plain text, for email. */
  body: string;
  /** The same for a Slack-style incoming webhook (`{"text": …}`), escaped for its mrkdwn. */
  webhookText: string;
}

/** Orders listed one by one in a digest; the rest are counted with a link to the list. */
export const MAX_LISTED_PROBLEMS = 50;
const MAX_PROBLEM_CHARS = 300;

const HEADINGS: Record<ProblemKind, string> = { held: 'Held', failed: 'Failed', changed: 'Changed after export' };
const KIND_ORDER: ProblemKind[] = ['held', 'failed', 'changed'];
const LIST_FILTER: Record<ProblemKind, Record<string, string>> = {
  held: { state: 'held' },
  failed: { state: 'failed' },
  changed: { changedAfterExport: 'true' },
};

/**
 * One line of shop text: control characters and line breaks become spaces (a reason can never
 * fake further lines of the message), long text is cut.
 */
export function oneLine(text: string): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > MAX_PROBLEM_CHARS ? `${flat.slice(0, MAX_PROBLEM_CHARS - 1)}…` : flat || '(no reason recorded)';
}

/** Slack-style mrkdwn treats &, < and > as markup: "<!channel>" in a buyer's name must not ping anyone. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function pageLink(base: string, params: Record<string, string>): string {
  return `${base}/#/orders?${new URLSearchParams(params).toString()}`;
}

export function orderLink(base: string, orderId: number): string {
  return pageLink(base, { search: String(orderId), order: String(orderId) });
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "3 orders need attention (2 held, 1 changed after export)" */
function headline(problems: readonly OrderProblem[]): string {
  const orders = new Set(problems.map((p) => p.orderId)).size;
  const counts = KIND_ORDER.map((kind) => [kind, problems.filter((p) => p.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind === 'changed' ? 'changed after export' : kind}`);
  return `${plural(orders, 'order')} ${orders === 1 ? 'needs' : 'need'} attention (${counts.join(', ')})`;
}

/** The digest for problems not yet told, with links to the page at `linkBase` (none when it is empty). */
export function buildDigest(problems: readonly OrderProblem[], linkBase: string): DigestText {
  const listed = [...problems].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.orderId - b.orderId);
  const shown = listed.slice(0, MAX_LISTED_PROBLEMS);
  const text: string[] = [`New since the last message: ${headline(problems)}.`];
  const mrkdwn: string[] = [`*woo-sage: ${escapeMrkdwn(headline(problems))}*`];
  for (const kind of KIND_ORDER) {
    const ofKind = shown.filter((p) => p.kind === kind);
    if (ofKind.length === 0) continue;
    const total = listed.filter((p) => p.kind === kind).length;
    text.push('', `${HEADINGS[kind]} (${total})`);
    mrkdwn.push('', `*${HEADINGS[kind]} (${total})*`);
    for (const p of ofKind) {
      const reason = oneLine(p.text);
      text.push(`- Order ${p.orderId}: ${reason}`);
      if (linkBase) text.push(`  ${orderLink(linkBase, p.orderId)}`);
      const name = linkBase ? `<${orderLink(linkBase, p.orderId)}|Order ${p.orderId}>` : `Order ${p.orderId}`;
      mrkdwn.push(`• ${name}: ${escapeMrkdwn(reason)}`);
    }
  }
  const more = listed.length - shown.length;
  if (more > 0) {
    text.push('', `… and ${plural(more, 'more problem')}, on the Orders page.`);
    mrkdwn.push('', `… and ${plural(more, 'more problem')}, on the Orders page.`);
  }
  const kinds = KIND_ORDER.filter((kind) => listed.some((p) => p.kind === kind));
  if (linkBase) {
    text.push('', 'All of them:', ...kinds.map((kind) => `  ${HEADINGS[kind]}: ${pageLink(linkBase, LIST_FILTER[kind])}`));
    mrkdwn.push(
      '',
      `All of them: ${kinds.map((kind) => `<${pageLink(linkBase, LIST_FILTER[kind])}|${HEADINGS[kind].toLowerCase()}>`).join(' · ')}`,
    );
  } else {
    text.push('', 'Set notifyLinkBaseUrl in the settings to get a link to each order.');
  }
  text.push('', '— woo-sage (one message at most every notifyEveryMinutes; change it in the settings)');
  return { subject: `woo-sage: ${headline(problems)}`, body: `${text.join('\n')}\n`, webhookText: mrkdwn.join('\n') };
}

/** What "send a test message" sends. */
export function testMessage(linkBase: string): DigestText {
  const where = linkBase ? ` Orders that need a person will be listed here, each with a link such as ${orderLink(linkBase, 1001)}.` : '';
  const body = `This is a test message from woo-sage: notifications reach you this way.${where}\n`;
  return { subject: 'woo-sage: test message', body, webhookText: escapeMrkdwn(body.trim()) };
}
