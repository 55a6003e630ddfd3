/** The admin API as the page uses it: JSON in and out, the session cookie, and the CSRF token on changes. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The validation problems ("body.settleMinutes: expected a number"), or [] for other errors. */
  get problems(): string[] {
    const problems = this.details.problems;
    return Array.isArray(problems) ? problems.map(String) : [];
  }
}

let csrfToken: string | undefined;
let onSessionEnded: (() => void) | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when a request finds the session gone (expired, ended elsewhere, user disabled). */
export function whenSessionEnds(handler: () => void): void {
  onSessionEnded = handler;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function request<T>(method: Method, path: string, body?: unknown, options: { quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  return send<T>(
    path,
    { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' },
    options,
  );
}

async function send<T>(path: string, init: RequestInit, options: { quiet401?: boolean } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'NETWORK', 'the server could not be reached; check that woo-sage is running and try again');
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (res.ok) return parsed as T;
  const error = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
  const failure = new ApiError(
    res.status,
    error?.code ?? 'HTTP_' + res.status,
    error?.message ?? `the server answered ${res.status}`,
    error?.details,
  );
  if (res.status === 401 && !options.quiet401) onSessionEnded?.();
  throw failure;
}

/** Sends a file as the request body (e.g. an XML export), with the CSRF token; answers JSON like `request`. */
async function upload<T>(path: string, file: Blob): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': file.type || 'application/xml' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  return send<T>(path, { method: 'POST', headers, body: file, credentials: 'same-origin' });
}

export const api = {
  upload,
  get: <T>(path: string, options?: { quiet401?: boolean }) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** `/api/orders?state=held`: skips empty values. */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
