// courier/browser: headless Chromium over the DevTools protocol, for `courier render` and render().

export { Browser, CHROMIUM_FLAGS, launchBrowser } from './browser.js';
export type { LaunchOptions } from './browser.js';
export { Connection, Session } from './connection.js';
export type { EventHandler } from './connection.js';
export {
  BrowserAbortedError,
  BrowserArgumentError,
  BrowserBadResponseError,
  BrowserClosedError,
  BrowserConnectError,
  BrowserConnectRefusedError,
  BrowserConnectionLostError,
  BrowserDnsError,
  BrowserEmptyReplyError,
  BrowserError,
  BrowserEvaluateError,
  BrowserInvalidUrlError,
  BrowserLaunchError,
  BrowserNotFoundError,
  BrowserProxyError,
  BrowserTimeoutError,
  BrowserTlsError,
  BrowserTooManyRedirectsError,
  NavigationError,
  NavigationFailedError,
  ProtocolCallError,
  netErrorCode,
} from './errors.js';
export type { BrowserErrorCode } from './errors.js';
export { CHROMIUM_NAMES, INSTALL_HINT, findChromium } from './find.js';
export type { FindOptions } from './find.js';
export { toHar } from './har.js';
export type { Har } from './har.js';
export type { PageRequest, RequestTimings } from './network.js';
export { render, renderPage } from './render.js';
export type { PageTimings, RenderOptions, RenderResult, Viewport, WaitUntil } from './render.js';
