import wooRestApi from '@woocommerce/woocommerce-rest-api';
import type { StoreConfig } from '../config/env.ts';
import { AppError } from '../domain/errors.ts';

/** Sets one meta key on a WooCommerce customer's profile. Linking and code write-back depend only on this. */
export interface CustomerProfileWriter {
  updateCustomerMeta(customerId: number, key: string, value: string): Promise<unknown>;
}

/** The store refused or could not be reached. `permanent`: retrying the same request will not help. */
export class WooWriteError extends AppError {
  constructor(message: string, details: { customerId: number; httpStatus: number | null; permanent: boolean }) {
    super('WOO_WRITE_FAILED', message, 502, details);
  }

  get permanent(): boolean {
    return this.details.permanent === true;
  }
}

interface AxiosLikeError {
  code?: string;
  response?: { status?: number; data?: { code?: string; message?: string } };
}

// Under Node ESM the default import of this CommonJS package is the module object (DESIGN.md).
const WooCommerceRestApi = ((wooRestApi as unknown as { default?: unknown }).default ?? wooRestApi) as typeof wooRestApi;

/**
 * The real writer: `PUT customers/{id}` with `meta_data: [{key, value}]`, which updates an
 * existing key in place. Errors carry the store's status and message, never the request (its
 * URL or headers can hold the consumer secret).
 */
export function createCustomerMetaWriter(store: StoreConfig, options: { timeoutMs?: number } = {}): CustomerProfileWriter {
  const api = new WooCommerceRestApi({
    url: store.url,
    consumerKey: store.consumerKey,
    consumerSecret: store.consumerSecret,
    version: 'wc/v3',
    timeout: options.timeoutMs ?? 30_000,
  });
  return {
    async updateCustomerMeta(customerId, key, value) {
      try {
        const response = await api.put(`customers/${customerId}`, { meta_data: [{ key, value }] });
        return response.data;
      } catch (err) {
        throw describeFailure(err as AxiosLikeError, customerId);
      }
    },
  };
}

function describeFailure(err: AxiosLikeError, customerId: number): WooWriteError {
  const status = err.response?.status ?? null;
  if (status === null) {
    return new WooWriteError(`the store could not be reached to update customer ${customerId} (${err.code ?? 'network error'})`, {
      customerId,
      httpStatus: null,
      permanent: false,
    });
  }
  const said = err.response?.data?.message ? `: ${String(err.response.data.message).slice(0, 200)}` : '';
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
  return new WooWriteError(`the store answered ${status} when updating customer ${customerId}${said}`, {
    customerId,
    httpStatus: status,
    permanent,
  });
}
