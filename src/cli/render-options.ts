// `courier render` flags: parsed into a RenderConfig with node:util parseArgs. No I/O here.
import { parseArgs } from 'node:util';
import type { Viewport, WaitUntil } from '../browser/index.js';
import { UsageError } from './usage.js';

/** RENDER_HELP is the text of `courier render --help`. */
export const RENDER_HELP = `courier render: load a page in headless Chromium and print the rendered DOM

Usage: courier render URL [options]

Page:
      --wait EVENT         load (default), domcontentloaded or networkidle (load + 500 ms quiet)
      --wait-for SELECTOR  then wait until an element matches the CSS selector
      --viewport WxH       window size in CSS pixels (default 1280x800)
  -H, --header 'N: v'      send a header with every request of the page (repeatable)
      --user-agent UA      replace the browser's User-Agent
  -k, --insecure           accept any TLS certificate
      --proxy URL          send every request through this HTTP proxy
      --timeout SECONDS    give up on the page after SECONDS (default 30)
      --browser PATH       the Chromium to run (default: $COURIER_CHROMIUM, then chromium,
                           chromium-browser or google-chrome on PATH)

Output:
  -o, --output FILE        write the DOM (or the --eval JSON) to FILE instead of stdout
      --eval EXPR          print the JSON value of a JavaScript expression instead of the DOM
      --screenshot FILE    save a PNG of the viewport (--full-page: of the whole page)
      --full-page          with --screenshot, capture the whole page
      --pdf FILE           save the page printed to PDF
      --har FILE           save every request as an HTTP Archive 1.2 file ("-": stdout)
      --requests           print every request on stderr: method, status, protocol, type,
                           size, start, duration and a waterfall, then a summary
  -f, --fail               exit 22 without output when the page's status is 400 or more
  -h, --help               print this help

The DOM goes to stdout unless --eval, --screenshot, --pdf or --har is given (add -o FILE).

Exit codes: 0 ok, 1 other error (Chromium missing...), 2 usage, 3 bad URL, 6 DNS, 7 connect,
8 bad response, 22 HTTP error with --fail, 23 write error, 28 timeout, 35 TLS, 47 too many
redirects, 52 empty reply, 56 connection lost, 97 proxy, 130 interrupted (143 by SIGTERM).
`;

export { UsageError };

/** RenderConfig is a parsed `courier render` command line. */
export interface RenderConfig {
  url: string;
  wait: WaitUntil;
  waitFor: string | undefined;
  viewport: Viewport | undefined;
  headers: Array<[string, string]>;
  userAgent: string | undefined;
  insecure: boolean;
  proxy: string | undefined;
  timeout: number;
  browser: string | undefined;
  output: string | undefined;
  evaluate: string | undefined;
  screenshot: string | undefined;
  fullPage: boolean;
  pdf: string | undefined;
  har: string | undefined;
  requests: boolean;
  fail: boolean;
  help: boolean;
}

const WAITS: readonly string[] = ['load', 'domcontentloaded', 'networkidle'];

/** parseViewport reads `1280x800` into a Viewport, or throws UsageError. */
export function parseViewport(text: string): Viewport {
  const match = /^(\d{1,5})[x×](\d{1,5})$/.exec(text.trim());
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (match === null || width < 1 || height < 1 || width > 16384 || height > 16384) {
    throw new UsageError(`Invalid --viewport "${text}": expected WIDTHxHEIGHT, like 1280x800`);
  }
  return { width, height };
}

function header(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new UsageError(`Invalid --header "${text}": expected "Name: value"`);
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

/** parseRenderArgs turns argv (after `render`) into a RenderConfig, or throws UsageError. */
export function parseRenderArgs(argv: string[]): RenderConfig {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        wait: { type: 'string' },
        'wait-for': { type: 'string' },
        viewport: { type: 'string' },
        header: { type: 'string', short: 'H', multiple: true },
        'user-agent': { type: 'string' },
        insecure: { type: 'boolean', short: 'k' },
        proxy: { type: 'string' },
        timeout: { type: 'string' },
        browser: { type: 'string' },
        output: { type: 'string', short: 'o' },
        eval: { type: 'string' },
        screenshot: { type: 'string' },
        'full-page': { type: 'boolean' },
        pdf: { type: 'string' },
        har: { type: 'string' },
        requests: { type: 'boolean' },
        fail: { type: 'boolean', short: 'f' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  const help = v.help === true;
  if (parsed.positionals.length > 1) throw new UsageError(`Too many arguments: ${parsed.positionals.slice(1).map((p) => `"${p}"`).join(' ')}`);
  const url = parsed.positionals[0];
  if (url === undefined && !help) throw new UsageError('Missing URL (try courier render --help)');
  const wait = v.wait ?? 'load';
  if (!WAITS.includes(wait)) throw new UsageError(`Invalid --wait "${wait}": expected load, domcontentloaded or networkidle`);
  let timeout = 30_000;
  if (v.timeout !== undefined) {
    const seconds = Number(v.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`Invalid --timeout "${v.timeout}": expected a positive number of seconds`);
    timeout = Math.round(seconds * 1000);
  }
  if (v['full-page'] === true && v.screenshot === undefined) throw new UsageError('--full-page needs --screenshot FILE');
  if (v['wait-for'] !== undefined && v['wait-for'].trim() === '') throw new UsageError('Invalid --wait-for "": expected a CSS selector');
  return {
    url: url ?? '',
    wait: wait as WaitUntil,
    waitFor: v['wait-for'],
    viewport: v.viewport === undefined ? undefined : parseViewport(v.viewport),
    headers: (v.header ?? []).map(header),
    userAgent: v['user-agent'],
    insecure: v.insecure === true,
    proxy: v.proxy,
    timeout,
    browser: v.browser,
    output: v.output,
    evaluate: v.eval,
    screenshot: v.screenshot,
    fullPage: v['full-page'] === true,
    pdf: v.pdf,
    har: v.har,
    requests: v.requests === true,
    fail: v.fail === true,
    help,
  };
}
