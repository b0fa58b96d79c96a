/**
 * The HTML of the gateway's browser apps. Everything they load comes from the gateway itself, and the
 * Content-Security-Policy says so: a page that tried to reach another origin would be stopped by the browser.
 */
export const EXPLORER_ASSET_PATH = '/explorer/assets';

/**
 * Monaco (GraphiQL's editor) and ECharts set inline styles, hence `'unsafe-inline'` for styles only; fonts are
 * data: URLs inside the stylesheet; the editors' language services are module workers from this origin.
 */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data: blob:",
  "worker-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const EXPLORER_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': EXPLORER_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export type ExplorerPage = 'graphiql' | 'console';

const TITLES: Record<ExplorerPage, string> = {
  graphiql: 'GraphiQL · Joint membership graph',
  console: 'Operator console · Joint membership graph',
};

export function explorerPageHtml(page: ExplorerPage): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${TITLES[page]}</title>
    <link rel="stylesheet" href="${EXPLORER_ASSET_PATH}/${page}.css" />
    <script type="module" src="${EXPLORER_ASSET_PATH}/${page}.js"></script>
  </head>
  <body>
    <div id="${page}">Loading…</div>
  </body>
</html>
`;
}
