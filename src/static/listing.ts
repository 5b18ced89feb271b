// Directory listings: reading a folder, and rendering it as HTML or JSON.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ICON_SYMBOLS, PAGE_STYLE, icon } from './page-style.js';
import { encodePath } from './path.js';

/** ListingEntry is one child of a listed directory. */
export interface ListingEntry {
  readonly name: string;
  readonly isDirectory: boolean;
  /** size in bytes; 0 for directories. */
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * readListing reads a directory's children, following symlinks for their type and size and
 * skipping broken ones. Names starting with "." are left out unless showDotfiles. Directories come
 * first, then files, each by name.
 */
export async function readListing(realPath: string, showDotfiles: boolean): Promise<ListingEntry[]> {
  const names = await readdir(realPath);
  const out: ListingEntry[] = [];
  await Promise.all(
    names.map(async (name) => {
      if (!showDotfiles && name.startsWith('.')) return;
      try {
        const s = await stat(join(realPath, name));
        if (!s.isFile() && !s.isDirectory()) return;
        out.push({ name, isDirectory: s.isDirectory(), size: s.isDirectory() ? 0 : s.size, mtimeMs: s.mtimeMs });
      } catch {
        // A broken symlink or a file removed meanwhile is simply not listed.
      }
    }),
  );
  return out.sort((a, b) => (a.isDirectory === b.isDirectory ? compareNames(a.name, b.name) : a.isDirectory ? -1 : 1));
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** escapeHtml escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** formatSize writes a byte count the way people read it: 999 B, 1.2 KiB, 34 MiB. */
export function formatSize(size: number): string {
  if (size < 1024) return `${size} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/**
 * listingJson renders a listing as JSON: the decoded directory path and its entries with names,
 * types, sizes, modification times (ISO 8601) and URLs relative to the directory.
 */
export function listingJson(segments: readonly string[], entries: readonly ListingEntry[]): string {
  return JSON.stringify({
    path: segments.length === 0 ? '/' : `/${segments.join('/')}/`,
    entries: entries.map((e) => ({
      name: e.name,
      type: e.isDirectory ? 'directory' : 'file',
      size: e.size,
      modified: new Date(e.mtimeMs).toISOString(),
      url: encodeURIComponent(e.name) + (e.isDirectory ? '/' : ''),
    })),
  });
}

// The listing's own rules, after the shared PAGE_STYLE.
const STYLE = `nav a,nav span{margin:0 .1rem}
table{width:100%;border-collapse:collapse}th,td{padding:.45rem .6rem;border-bottom:1px solid var(--line);text-align:left}
th{font-weight:600;color:var(--muted);white-space:nowrap}th button{all:unset;cursor:pointer}th button:focus-visible{outline:2px solid var(--link)}
th[aria-sort=ascending] button::after{content:" \\2191"}th[aria-sort=descending] button::after{content:" \\2193"}
tbody tr:hover{background:var(--hover)}td.name{word-break:break-all}td.size,td.modified{white-space:nowrap;color:var(--muted)}
td.size,th.size{text-align:right}
@media (max-width:40rem){th.modified,td.modified{display:none}}footer{margin-top:1rem;color:var(--muted);font-size:.85rem}`;

// Sorting keeps folders first; each column sorts by its data-* value, clicking again reverses.
const SCRIPT = `(()=>{const t=document.querySelector('table'),b=t.tBodies[0];
t.querySelectorAll('th[data-key]').forEach(th=>th.querySelector('button').addEventListener('click',()=>{
const key=th.dataset.key,asc=th.getAttribute('aria-sort')!=='ascending';
t.querySelectorAll('th[data-key]').forEach(o=>o.removeAttribute('aria-sort'));th.setAttribute('aria-sort',asc?'ascending':'descending');
const cmp=new Intl.Collator(undefined,{numeric:true,sensitivity:'base'}).compare;
const rows=[...b.rows].filter(r=>!r.classList.contains('up'));
rows.sort((x,y)=>{const dx=x.dataset.dir==='1',dy=y.dataset.dir==='1';if(dx!==dy)return dx?-1:1;
const vx=x.dataset[key],vy=y.dataset[key];const r=key==='name'?cmp(vx,vy):Number(vx)-Number(vy);return asc?r:-r;});
rows.forEach(r=>b.appendChild(r));}));})();`;

/**
 * LISTING_CSP is the Content-Security-Policy of listing pages: nothing loads, only the page's own
 * style and its one script (by hash) run, so even a name that slipped past escaping could not.
 */
export const LISTING_CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'; img-src 'self'; base-uri 'none'; form-action 'none'`;

/**
 * listingHtml renders a listing page: breadcrumbs, a table of name, size and modification time
 * with folders first, sortable by clicking a column, dark mode from prefers-color-scheme. Every
 * name is HTML-escaped and every link percent-encoded. `prefix` (like "/assets") is where the root
 * is mounted; breadcrumb links start with it.
 */
export function listingHtml(segments: readonly string[], entries: readonly ListingEntry[], prefix = ''): string {
  const title = segments.length === 0 ? '/' : `/${segments.join('/')}/`;
  // The root reads "/" (not "~", which reads as the home folder); each folder after it ends in "/".
  let crumbs = `<a href="${escapeHtml(prefix)}/">/</a>`;
  for (let i = 0; i < segments.length; i++) {
    crumbs += `<a href="${escapeHtml(prefix + encodePath(segments.slice(0, i + 1), true))}">${escapeHtml(segments[i] as string)}</a><span>/</span>`;
  }
  let rows = '';
  if (segments.length > 0) {
    rows += `<tr class="up"><td class="name"><a href="../">../</a></td><td class="size"></td><td class="modified"></td></tr>`;
  }
  for (const e of entries) {
    const href = escapeHtml(encodeURIComponent(e.name) + (e.isDirectory ? '/' : ''));
    const name = escapeHtml(e.name);
    const modified = new Date(e.mtimeMs).toISOString();
    rows +=
      `<tr data-dir="${e.isDirectory ? 1 : 0}" data-name="${name}" data-size="${e.size}" data-modified="${Math.floor(e.mtimeMs)}">` +
      `<td class="name"><a href="${href}">${icon(e.isDirectory ? 'd' : 'f')}${name}${e.isDirectory ? '/' : ''}</a></td>` +
      `<td class="size">${e.isDirectory ? '—' : formatSize(e.size)}</td>` +
      `<td class="modified"><time datetime="${modified}">${modified.slice(0, 16).replace('T', ' ')}</time></td></tr>`;
  }
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>Index of ${escapeHtml(title)}</title><style>${PAGE_STYLE}\n${STYLE}</style></head><body>${ICON_SYMBOLS}<main>` +
    `<h1>Index of <nav style="display:inline">${crumbs}</nav></h1>` +
    `<table><thead><tr><th class="name" data-key="name" aria-sort="ascending"><button type="button">Name</button></th>` +
    `<th class="size" data-key="size"><button type="button">Size</button></th>` +
    `<th class="modified" data-key="modified"><button type="button">Modified</button></th></tr></thead>` +
    `<tbody>${rows}</tbody></table>` +
    `<footer>${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} · served by courier</footer>` +
    `</main><script>${SCRIPT}</script></body></html>\n`
  );
}

/**
 * prefersJson tells whether an Accept value ranks application/json above text/html
 * (RFC 9110 §12.5.1), so API clients get a JSON listing and browsers the page.
 */
export function prefersJson(accept: string | undefined): boolean {
  if (accept === undefined || !accept.includes('json')) return false;
  let json = 0;
  let html = 0;
  let htmlSpecificity = -1;
  for (const member of accept.split(',')) {
    const parts = member.split(';');
    const range = (parts[0] as string).trim().toLowerCase();
    let q = 1;
    for (let i = 1; i < parts.length; i++) {
      const [k, v] = (parts[i] as string).split('=');
      if (k?.trim().toLowerCase() === 'q' && v !== undefined) {
        const n = Number(v.trim());
        if (Number.isFinite(n)) q = n;
      }
    }
    if (range === 'application/json') json = Math.max(json, q);
    const specificity = range === 'text/html' ? 2 : range === 'text/*' ? 1 : range === '*/*' ? 0 : -1;
    if (specificity > htmlSpecificity) {
      htmlSpecificity = specificity;
      html = q;
    }
  }
  // An explicit text/html wins a tie; a wildcard loses it to the explicit application/json.
  return json > 0 && (htmlSpecificity === 2 ? json > html : json >= html);
}
