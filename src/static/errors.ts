/**
 * StaticErrorCode lists the ways the static file server can refuse a request or an option. Codes
 * are stable: switch on them, never on messages.
 */
export type StaticErrorCode =
  | 'STATIC_INVALID_ROOT'
  | 'STATIC_INVALID_OPTION'
  | 'STATIC_BAD_PATH'
  | 'STATIC_TRAVERSAL'
  | 'STATIC_DOTFILE'
  | 'STATIC_OUTSIDE_ROOT'
  | 'STATIC_FORBIDDEN'
  | 'STATIC_NOT_FOUND';

const brand = Symbol.for('courier.StaticError');

/**
 * StaticError is thrown for a bad root folder or option, and describes why a request path was
 * refused. `status` is what the server answers with.
 */
export class StaticError extends Error {
  override readonly name = 'StaticError';
  readonly code: StaticErrorCode;
  readonly status: number;

  constructor(code: StaticErrorCode, message: string, status = 500) {
    super(message);
    this.code = code;
    this.status = status;
  }

  /** StaticError.is tells a StaticError apart even when it comes from another copy of the package. */
  static is(value: unknown): value is StaticError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

Object.defineProperty(StaticError.prototype, brand, { value: true });

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  416: 'Range Not Satisfiable',
  500: 'Internal Server Error',
};

/** ERROR_PAGE_CSP is the Content-Security-Policy of generated error pages: inline style only. */
export const ERROR_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/**
 * errorPage returns a small HTML page for an error status. It never mentions the request path or
 * a filesystem path, so nothing about the disk layout leaks.
 */
export function errorPage(status: number): string {
  const title = `${status} ${TITLES[status] ?? 'Error'}`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>` +
    `<style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem}` +
    `@media (prefers-color-scheme:dark){body{background:#111;color:#ddd}}</style></head>` +
    `<body><h1>${title}</h1><p><a href="/">Back to the top</a></p></body></html>\n`
  );
}
