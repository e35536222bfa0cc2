// Formatting of figures for the pages.
export const fmtInt = (n) => (n === null || n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));

export function fmtMs(ms) {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return m < 60 ? `${m} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const fmtRate = (r) => (r === null || r === undefined ? '-' : `${r.toLocaleString('en-US', { maximumFractionDigits: r < 10 ? 2 : 0 })} records/s`);

export function fmtBytes(b) {
  if (b === null || b === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) {
    b /= 1024;
    i++;
  }
  return `${b.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function fmtTime(iso) {
  if (!iso) return '-';
  const d = new Date(iso);
  return d.toISOString().slice(0, 10) + ' ' + d.toTimeString().slice(0, 8) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

export function fmtClock(ms) {
  const d = new Date(ms);
  return d.toTimeString().slice(0, 8);
}

/** Escapes text for HTML. */
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** A table from column definitions [{ h, f: row => html, num }] and rows. */
export function table(cols, rows, opts = {}) {
  if (rows.length === 0) return `<p class="empty">${esc(opts.empty ?? 'None.')}</p>`;
  const head = cols.map((c) => `<th class="${c.num ? 'num' : ''}">${esc(c.h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr class="${opts.rowClass ? opts.rowClass(r) : ''}">${cols.map((c) => `<td class="${c.num ? 'num' : ''}">${c.f(r)}</td>`).join('')}</tr>`)
    .join('');
  return `<table${opts.id ? ` id="${opts.id}"` : ''}><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
