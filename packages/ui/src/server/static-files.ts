import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface StaticFile {
  contentType: string;
  body: Buffer;
}

/**
 * The UI's files, all served from this package (nothing from a CDN): the page, its
 * scripts and styles, and uPlot's build from node_modules. Read once, kept in memory
 * (about 100 KB), and looked up by exact name, so no request can reach another file.
 */
export function loadStaticFiles(): Map<string, StaticFile> {
  const here = dirname(fileURLToPath(import.meta.url));
  const staticDir = join(here, '../../static');
  const uplotDir = dirname(createRequire(import.meta.url).resolve('uplot'));
  const files = new Map<string, StaticFile>();
  const add = (urlPath: string, file: string) =>
    files.set(urlPath, { contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
  for (const name of ['index.html', 'app.js', 'pages.js', 'charts.js', 'format.js', 'style.css']) add(`/static/${name}`, join(staticDir, name));
  add('/static/uplot/uPlot.iife.min.js', join(uplotDir, 'uPlot.iife.min.js'));
  add('/static/uplot/uPlot.min.css', join(uplotDir, 'uPlot.min.css'));
  return files;
}

/** The page paths the single-page app answers (each serves index.html). */
export const PAGE_PATHS = ['/streaming/', '/streaming/batch/', '/receivers/', '/executors/', '/kafka/', '/environment/', '/classifier/'];
