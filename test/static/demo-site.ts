// Builds the demo site the browser test loads: 30+ assets of every kind a page pulls in, with
// awkward names, generated as bytes (PNG encoder below), plus a folder to list.
import { Buffer } from 'node:buffer';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** png encodes a width x height RGB image filled with one color and a diagonal stripe. */
export function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolor
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      const on = x === y;
      raw[row + 1 + x * 3] = on ? 255 : rgb[0];
      raw[row + 2 + x * 3] = on ? 255 : rgb[1];
      raw[row + 3 + x * 3] = on ? 255 : rgb[2];
    }
  }
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** findFont returns a TrueType font file that is on this machine: one shipped with playwright-core, else a system one. */
export function findFont(): string | undefined {
  const roots: string[] = [];
  try {
    const require = createRequire(import.meta.url);
    roots.push(join(dirname(require.resolve('playwright-core/package.json')), 'lib'));
  } catch {
    // playwright-core is a dev dependency; without it, look at the system fonts.
  }
  roots.push('/usr/share/fonts');
  for (const root of roots) {
    const found = walk(root, 4);
    if (found !== undefined) return found;
  }
  return undefined;
}

function walk(dir: string, depth: number): string | undefined {
  if (depth < 0 || !existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isFile() && /\.(ttf|otf|woff2?)$/i.test(entry.name)) return path;
    if (entry.isDirectory()) {
      const found = walk(path, depth - 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** DEMO_MODULES is how many JS modules the page imports; the page counts them. */
export const DEMO_MODULES = 10;

/** makeDemoSite writes the site into `root` and returns how many assets the page requests. */
export async function makeDemoSite(root: string, fontPath: string): Promise<number> {
  const files: Record<string, string | Buffer> = {};
  const colors: [number, number, number][] = [
    [200, 30, 30], [30, 200, 30], [30, 30, 200], [200, 200, 30], [30, 200, 200], [200, 30, 200], [90, 90, 90], [250, 120, 0],
  ];
  const images: string[] = [];
  colors.forEach((rgb, i) => {
    const name = `img/p${i + 1}.png`;
    files[name] = png(16 + i, 16 + i, rgb);
    images.push(name);
  });
  files['img/fünke bild.png'] = png(20, 10, [10, 120, 240]);
  images.push('img/f%C3%BCnke%20bild.png');
  for (let i = 1; i <= 4; i++) {
    files[`img/s${i}.svg`] = `<svg xmlns="http://www.w3.org/2000/svg" width="${20 + i}" height="20"><circle cx="10" cy="10" r="${4 + i}" fill="#${i}a${i}"/></svg>`;
    images.push(`img/s${i}.svg`);
  }
  const cssNames = ['base', 'theme', 'layout', 'fonts', 'c1', 'c2', 'c3', 'c4'];
  files['css/base.css'] = '@import url("theme.css");\nbody { margin: 0; font-family: sans-serif; }\n';
  files['css/theme.css'] = 'h1 { color: rgb(12, 34, 56); }\n';
  files['css/layout.css'] = `main { display: grid; gap: 4px; }\n${'.pad { padding: 1px; }\n'.repeat(100)}`;
  files['css/fonts.css'] = '@font-face { font-family: "Demo"; src: url("../fonts/demo font.ttf") format("truetype"); }\n.icon { font-family: "Demo"; }\n';
  for (let i = 1; i <= 4; i++) files[`css/c${i}.css`] = `.c${i} { border: ${i}px solid transparent; }\n`;
  for (let i = 1; i < DEMO_MODULES; i++) files[`js/m${i}.js`] = `export const m${i} = ${i};\n`;
  // One module big enough to compress, with precompressed sidecars next to it.
  const m1 = `export const m1 = 1;\n${'// padding so the file is worth compressing\n'.repeat(60)}`;
  files['js/m1.js'] = m1;
  files['js/m1.js.br'] = brotliCompressSync(Buffer.from(m1));
  files['js/m1.js.gz'] = gzipSync(Buffer.from(m1));
  const imports = Array.from({ length: DEMO_MODULES - 1 }, (_, i) => `import { m${i + 1} } from './m${i + 1}.js';`).join('\n');
  const sum = Array.from({ length: DEMO_MODULES - 1 }, (_, i) => `m${i + 1}`).join(' + ');
  files['js/main.js'] = `${imports}
window.__modules = ${DEMO_MODULES - 1} + 1;
window.__sum = ${sum};
const range = await fetch('media/clip.mp4', { headers: { Range: 'bytes=0-99' } });
const rangeBytes = (await range.arrayBuffer()).byteLength;
const data = await (await fetch('data/data.json')).json();
const words = await (await fetch('data/words.txt')).text();
const font = new FontFace('Probe', 'url("fonts/demo%20font.ttf")');
await font.load();
await document.fonts.ready;
window.__result = {
  rangeStatus: range.status,
  contentRange: range.headers.get('content-range'),
  rangeBytes,
  data,
  wordsLength: words.length,
  fontStatus: font.status,
  demoFont: document.fonts.check('12px "Demo"'),
};
document.body.dataset.ready = '1';
`;
  files['media/clip.mp4'] = Buffer.alloc(64 * 1024, 0x42);
  files['data/data.json'] = JSON.stringify({ ok: true, name: 'fünke' });
  files['data/words.txt'] = 'lorem ipsum dolor sit amet '.repeat(400);
  files['index.html'] = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>courier demo</title>
<link rel="icon" href="img/p1.png">
${cssNames.map((n) => `<link rel="stylesheet" href="css/${n}.css">`).join('\n')}
<script type="module" src="js/main.js"></script>
</head><body><main>
<h1 class="icon">courier demo</h1>
${images.map((src, i) => `<img id="img${i}" src="${src}" alt="">`).join('\n')}
</main></body></html>
`;
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  await mkdir(join(root, 'fonts'), { recursive: true });
  await copyFile(fontPath, join(root, 'fonts', 'demo font.ttf'));
  // A folder with no index, for the listing test.
  await mkdir(join(root, 'files', 'sub'), { recursive: true });
  await writeFile(join(root, 'files', 'a.txt'), 'a'.repeat(300));
  await writeFile(join(root, 'files', 'b.txt'), 'b'.repeat(10));
  await writeFile(join(root, 'files', 'c.txt'), 'c'.repeat(5000));
  await writeFile(join(root, 'files', '<i>d&amp;.txt'), 'd'.repeat(1000));
  // html + favicon + css + main + modules + images + font + range + json + words
  return 1 + 1 + cssNames.length + 1 + (DEMO_MODULES - 1) + images.length + 1 + 1 + 1 + 1;
}
