import { CourierError, brand } from '../http/index.js';
import { PAGE_STYLE } from './page-style.js';

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
  | 'STATIC_FORBIDDEN';


/**
 * StaticError is thrown for a bad root folder or option, and describes why a request path was
 * refused. `status` is what the server answers with.
 */
export class StaticError extends CourierError {
  override readonly name = 'StaticError';
  declare readonly code: StaticErrorCode;
  readonly status: number;

  constructor(code: StaticErrorCode, message: string, status = 500) {
    super(code, message);
    this.status = status;
  }
}

brand(StaticError, 'StaticError');

const TITLES: Readonly<Record<number, readonly [string, string]>> = {
  400: ['Bad Request', 'The server could not understand this address.'],
  403: ['Forbidden', 'This file or folder may not be read.'],
  404: ['Not Found', 'Nothing is here: check the address for a typo.'],
  405: ['Method Not Allowed', 'This server only reads files: GET, HEAD and OPTIONS.'],
  412: ['Precondition Failed', 'The file changed since your copy was made.'],
  416: ['Range Not Satisfiable', 'The range asked for lies outside the file.'],
  500: ['Internal Server Error', 'Something went wrong on the server.'],
};

/** ERROR_PAGE_CSP is the Content-Security-Policy of generated error pages: inline style only. */
export const ERROR_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/**
 * errorPage returns a small HTML page for an error status, in the listing's style (light and
 * dark). It never mentions the request path or a filesystem path, so nothing about the disk
 * layout leaks.
 */
export function errorPage(status: number): string {
  const [reason, hint] = TITLES[status] ?? ['Error', 'The request could not be answered.'];
  const title = `${status} ${reason}`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>` +
    `<style>${PAGE_STYLE}</style></head>` +
    `<body><main><h1>${title}</h1><p class="muted">${hint}</p><p><a href="/">Back to the top</a></p></main></body></html>\n`
  );
}
