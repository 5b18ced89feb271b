import { CourierError, brand } from '../http/index.js';
import { PAGE_STYLE } from './page-style.js';

/**
 * StaticErrorCode lists the ways `staticFiles` and `staticFetch` refuse their arguments, one code
 * per error class. Codes are stable: switch on them (or test the class with `X.is(error)`), never
 * on messages.
 */
export type StaticErrorCode = 'STATIC_INVALID_ROOT' | 'STATIC_INVALID_OPTION';

/**
 * PathRefusalCode names why a request path was refused (answered 400, 403 or 404 with an error
 * page). It is never thrown: the handler answers the request itself.
 */
export type PathRefusalCode = 'STATIC_BAD_PATH' | 'STATIC_TRAVERSAL' | 'STATIC_DOTFILE' | 'STATIC_OUTSIDE_ROOT' | 'STATIC_FORBIDDEN';

/**
 * StaticError is the family of the errors the static file server throws, for a bad root folder or
 * option; it is never thrown itself. Each class below has one fixed `code`.
 */
export abstract class StaticError extends CourierError {
  override name = 'StaticError';
  declare readonly code: StaticErrorCode;
}

brand(StaticError, 'StaticError');

/** InvalidStaticRootError is thrown when the folder to serve is missing, not a folder or unreadable (`STATIC_INVALID_ROOT`). */
export class InvalidStaticRootError extends StaticError {
  override name = 'InvalidStaticRootError';
  declare readonly code: 'STATIC_INVALID_ROOT';

  constructor(message: string) {
    super('STATIC_INVALID_ROOT', message);
  }
}

brand(InvalidStaticRootError, 'InvalidStaticRootError');

/** InvalidStaticOptionError is thrown for an option of `staticFiles` that is not valid (`STATIC_INVALID_OPTION`). */
export class InvalidStaticOptionError extends StaticError {
  override name = 'InvalidStaticOptionError';
  declare readonly code: 'STATIC_INVALID_OPTION';

  constructor(message: string) {
    super('STATIC_INVALID_OPTION', message);
  }
}

brand(InvalidStaticOptionError, 'InvalidStaticOptionError');

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
