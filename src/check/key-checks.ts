import type { Settings } from '../settings/schema.ts';
import type { WooClient } from '../woo/client.ts';
import { WooAuthError, type WooError } from '../woo/errors.ts';
import { finding, shopText, type Finding } from './findings.ts';

/** `modified_after`, which the incremental poll pages by, came with WooCommerce 5.8. */
export const OLDEST_WOOCOMMERCE = [5, 8] as const;

const NEW_KEY =
  'create a key in WordPress, WooCommerce → Settings → Advanced → REST API (for an Administrator or Shop manager), and set WOO_CONSUMER_KEY and WOO_CONSUMER_SECRET to it';

/** What a refusal of our keys means, in the store's own words (WC_REST_Authentication's messages). */
function refusal(err: WooError): Finding {
  const message = String(err.details.storeMessage ?? '');
  const code = String(err.details.storeCode ?? '');
  if (/consumer key is invalid/i.test(message))
    return finding('keys.valid', 'fatal', 'the store does not know WOO_CONSUMER_KEY (Consumer key is invalid)', NEW_KEY);
  if (/invalid signature/i.test(message))
    return finding(
      'keys.valid',
      'fatal',
      'the store refused the keys’ signature: WOO_CONSUMER_SECRET is not the secret of WOO_CONSUMER_KEY',
      NEW_KEY,
    );
  if (/read permission/i.test(message))
    return finding(
      'keys.permission',
      'fatal',
      'the key is Write-only: woo-sage cannot read orders with it',
      'set the key’s permission to Read/Write (or Read) in WooCommerce → Settings → Advanced → REST API',
    );
  if (/cannot_view|cannot_list/.test(code) || code === 'woocommerce_rest_cannot_view')
    return finding(
      'keys.valid',
      'fatal',
      `the store answered as if no keys were sent, or their user may not see the shop’s data (${code})`,
      'create the key for an Administrator or Shop manager; over https, make sure the web server passes the Authorization header on to WordPress',
    );
  if (err.details.status === 403 && !code)
    return finding(
      'keys.valid',
      'fatal',
      'something in front of the store (a firewall or security plugin) refused the API request (HTTP 403)',
      'allow requests to /wp-json/wc/ from this server',
    );
  return finding('keys.valid', 'fatal', `the store refused the keys: ${err.message}`, NEW_KEY);
}

function versionOf(text: string): number[] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export function versionFinding(status: unknown): Finding {
  const environment = (status as { environment?: Record<string, unknown> } | null)?.environment ?? {};
  // The docs' table says wc_version; WooCommerce itself sends `version`.
  const wc = shopText(environment.version ?? environment.wc_version, 20);
  const wp = shopText(environment.wp_version, 20);
  const parsed = versionOf(wc);
  const on = `WooCommerce ${wc || '(version not given)'}${wp ? ` on WordPress ${wp}` : ''}`;
  if (!parsed) return finding('woo.version', 'warn', `${on}: the version could not be read`, 'make sure WooCommerce is 5.8 or newer');
  const [major, minor] = parsed as [number, number];
  const [oldMajor, oldMinor] = OLDEST_WOOCOMMERCE;
  if (major < oldMajor || (major === oldMajor && minor < oldMinor))
    return finding(
      'woo.version',
      'fail',
      `${on} is older than ${oldMajor}.${oldMinor}: its order list cannot be read by modification time (modified_after), which woo-sage's polling needs`,
      `update WooCommerce to ${oldMajor}.${oldMinor} or newer`,
    );
  return finding('woo.version', 'ok', on);
}

/**
 * Do the keys work, on what WooCommerce, and may they write? Returns with a fatal finding when the
 * keys cannot read: nothing after that can be checked.
 */
export async function checkKeys(client: WooClient, settings: Settings): Promise<Finding[]> {
  let status: unknown;
  try {
    status = (await client.getJson('system_status')).json;
  } catch (err) {
    if (err instanceof WooAuthError) return [refusal(err)];
    return [
      finding('keys.valid', 'fatal', `the store did not answer with the keys: ${(err as Error).message}`, 'check WOO_URL and the keys'),
    ];
  }
  const findings = [finding('keys.valid', 'ok', 'the keys are accepted and may read the store'), versionFinding(status)];
  try {
    const mayWrite = await client.keysMayWrite();
    if (mayWrite) findings.push(finding('keys.permission', 'ok', 'the keys have Read/Write permission'));
    else if (settings.writeBackNewCodes)
      findings.push(
        finding(
          'keys.permission',
          'fail',
          'the keys are Read-only but writeBackNewCodes is on: new account codes could not be written to the buyers’ profiles',
          'set the key’s permission to Read/Write in WooCommerce → Settings → Advanced → REST API, or turn writeBackNewCodes off',
        ),
      );
    else
      findings.push(
        finding(
          'keys.permission',
          'ok',
          'the keys are Read-only, enough for syncing (writeBackNewCodes is off; linking customers to Sage accounts from woo-sage would need Read/Write)',
        ),
      );
  } catch (err) {
    findings.push(
      finding(
        'keys.permission',
        'warn',
        `the keys’ permission could not be learnt: ${(err as Error).message}`,
        'check the key in WooCommerce → Settings → Advanced → REST API',
      ),
    );
  }
  return findings;
}
