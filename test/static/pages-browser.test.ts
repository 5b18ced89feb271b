// The pages the static server writes itself (listings, 403, 404, 500) in a real headless Chromium,
// 400 px wide, in light and dark mode: readable (WCAG contrast of every text and link colour
// against the background it sits on, computed in the page), no emoji (icons are SVG elements, and
// the screenshot shows their strokes), no horizontal scrolling.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Server } from '../../src/server/index.js';
import { errorPage } from '../../src/static/errors.js';
import { startStatic } from './harness.js';
import { decodePng, pixel } from './png.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const skip = !hasChromium && process.env.CI !== 'true' ? `${CHROMIUM} is missing: install the Debian package "chromium" to run this test` : false;

interface Inspection {
  readonly background: [number, number, number];
  /** worst is the lowest contrast ratio found, with the element it belongs to. */
  readonly worst: { ratio: number; what: string };
  readonly scrollWidth: number;
  readonly emoji: string[];
  readonly icons: { x: number; y: number; width: number; height: number }[];
}

// Runs in the page (a string: the tests compile without the DOM types): WCAG 2.x relative
// luminance and contrast of each text colour against the first opaque background behind it.
const INSPECT = `(() => {
  const parse = (text) => {
    const m = /rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)/.exec(text);
    if (m === null) throw new Error(\`Unexpected colour \${text}\`);
    return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
  };
  const luminance = ([r, g, b]) => {
    const lin = (c) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const backgroundOf = (el) => {
    for (let e = el; e !== null; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0.99) return [c[0], c[1], c[2]];
    }
    return [255, 255, 255];
  };
  let worst = { ratio: 99, what: '' };
  for (const el of document.querySelectorAll('h1, p, a, td, th, button, footer, span')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || (el.textContent ?? '').trim() === '') continue;
    const fg = luminance(parse(getComputedStyle(el).color));
    const bg = luminance(backgroundOf(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < worst.ratio) worst = { ratio, what: \`\${el.tagName} "\${(el.textContent ?? '').trim().slice(0, 30)}"\` };
  }
  const emoji = [...document.body.innerText.matchAll(/\\p{Extended_Pictographic}/gu)].map((m) => m[0]);
  const icons = [...document.querySelectorAll('svg.i')].map((svg) => {
    const r = svg.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
  return { background: backgroundOf(document.body), worst, scrollWidth: document.documentElement.scrollWidth, emoji, icons };
})()`;

describe('listing and error pages in a browser', { skip, timeout: 90_000 }, () => {
  let base = '';
  let server: Server;
  let browser: Browser;

  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'courier-pages-'));
    await mkdir(join(base, 'docs', 'a folder with a long name that has to wrap somewhere'), { recursive: true });
    await writeFile(join(base, 'docs', 'romeo.txt'), 'But soft what light through yonder window breaks\n');
    await writeFile(join(base, 'docs', `${'long-name-'.repeat(12)}.txt`), 'x');
    await writeFile(join(base, '.secret'), 'no');
    await writeFile(join(base, 'readme.txt'), 'hello\n');
    server = await startStatic(base, { dotfiles: 'deny' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], timeout: 30_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (base !== '') await rm(base, { recursive: true, force: true });
  });

  const pages: { name: string; open: (page: Page, origin: string) => Promise<unknown>; hasIcons: boolean }[] = [
    { name: 'the root listing', open: (p, o) => p.goto(`${o}/`), hasIcons: true },
    { name: 'a folder listing', open: (p, o) => p.goto(`${o}/docs/`), hasIcons: true },
    { name: 'the 404 page', open: (p, o) => p.goto(`${o}/nope.txt`), hasIcons: false },
    { name: 'the 403 page', open: (p, o) => p.goto(`${o}/.secret`), hasIcons: false },
    { name: 'the 500 page', open: (p) => p.setContent(errorPage(500)), hasIcons: false },
  ];

  for (const scheme of ['light', 'dark'] as const) {
    for (const entry of pages) {
      test(`${entry.name}, ${scheme} mode, 400 px wide: readable, SVG icons, no tofu`, async () => {
        const page = await browser.newPage({ viewport: { width: 400, height: 700 }, colorScheme: scheme });
        try {
          await entry.open(page, `http://127.0.0.1:${server.port}`);
          const seen = (await page.evaluate(INSPECT)) as Inspection;
          assert.ok(seen.worst.ratio >= 4.5, `contrast ${seen.worst.ratio.toFixed(2)} for ${seen.worst.what}`);
          assert.deepEqual(seen.emoji, []);
          assert.ok(seen.scrollWidth <= 400, `the page scrolls sideways: ${seen.scrollWidth} px`);
          const isDark = seen.background.reduce((a, b) => a + b) < 3 * 128;
          assert.equal(isDark, scheme === 'dark', `background ${seen.background.join(',')}`);

          const shot = decodePng(await page.screenshot());
          assert.equal(shot.width, 400);
          // The screenshot shows the background the page computed (no white flash in dark mode).
          assert.deepEqual(pixel(shot, 2, 2), seen.background);
          if (entry.hasIcons) {
            assert.ok(seen.icons.length >= 2, 'no SVG icons');
            // Each visible icon has drawn strokes: pixels that differ clearly from the background.
            for (const box of seen.icons.filter((b) => b.y + b.height < shot.height)) {
              let inked = 0;
              for (let y = Math.floor(box.y); y < box.y + box.height; y++) {
                for (let x = Math.floor(box.x); x < box.x + box.width; x++) {
                  const [r, g, b] = pixel(shot, x, y);
                  const bg = seen.background;
                  if (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) > 90) inked++;
                }
              }
              assert.ok(inked >= 8, `an icon at ${box.x},${box.y} shows ${inked} inked pixels`);
            }
          } else {
            assert.equal(await page.locator('a[href="/"]').count(), 1);
          }
        } finally {
          await page.close();
        }
      });
    }
  }

  test('the root listing is titled "/" (not "~", which reads as the home folder)', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${server.port}/`);
      assert.equal(await page.title(), 'Index of /');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Index of /');
      await page.goto(`http://127.0.0.1:${server.port}/docs/`);
      assert.equal((await page.locator('h1').innerText()).replace(/\s+/g, ''), 'Indexof/docs/');
    } finally {
      await page.close();
    }
  });
});
