// The look shared by every page the static server writes itself (listings, error pages): one
// palette for light and dark mode whose text and link colours keep a WCAG contrast ratio of at
// least 4.5 against the background, and icons as inline SVG (emoji need an emoji font).

/**
 * PAGE_STYLE is the CSS of listings and error pages. Colours follow prefers-color-scheme; links
 * have their own colour in both schemes, so none falls back to the browser's dark-blue default.
 */
export const PAGE_STYLE = `:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#59636e;--line:#d0d7de;--hover:#f6f8fa;--link:#0969da;--icon:#59636e}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#30363d;--hover:#161b22;--link:#4493f8;--icon:#9198a1}}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:64rem;margin:0 auto;padding:1.5rem 1rem}h1{font-size:1.25rem;font-weight:600;margin:0 0 1rem;word-break:break-all}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}p{margin:0 0 1rem}.muted{color:var(--muted)}
svg.i{width:1em;height:1em;vertical-align:-.125em;margin-right:.45rem;fill:none;stroke:var(--icon);stroke-width:1.6;stroke-linejoin:round}`;

/**
 * ICON_SYMBOLS defines the icons once per page (a folder and a file, drawn with strokes in the
 * current palette); rows use them with `<use>`, a few bytes each.
 */
export const ICON_SYMBOLS =
  `<svg width="0" height="0" style="position:absolute" aria-hidden="true">` +
  `<symbol id="d" viewBox="0 0 16 16"><path d="M1.5 3.5h4.5l1.5 1.5h7v8.5h-13z"/></symbol>` +
  `<symbol id="f" viewBox="0 0 16 16"><path d="M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3"/></symbol></svg>`;

/** icon returns the inline SVG that shows a folder ("d") or a file ("f") icon. */
export function icon(kind: 'd' | 'f'): string {
  return `<svg class="i" aria-hidden="true"><use href="#${kind}"/></svg>`;
}
