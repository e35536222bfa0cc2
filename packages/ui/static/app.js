// The single-page app: picks the page from the path, loads it from the REST API, and
// passes live pushes (server-sent events) to it.
import { batchPage, classifierPage, environmentPage, executorsPage, kafkaPage, receiversPage, streamingPage } from './pages.js';
import { esc } from './format.js';

const boot = JSON.parse(document.getElementById('boot').textContent);
const api = `/api/v1/applications/${encodeURIComponent(boot.appId)}`;
const routes = {
  '/streaming/': ['streaming', streamingPage],
  '/streaming/batch/': ['streaming', batchPage],
  '/receivers/': ['receivers', receiversPage],
  '/executors/': ['executors', executorsPage],
  '/kafka/': ['kafka', kafkaPage],
  '/environment/': ['environment', environmentPage],
  '/classifier/': ['classifier', classifierPage],
};
const [tab, page] = routes[location.pathname] ?? routes['/streaming/'];
const el = document.getElementById('page');

async function getOrNull(path) {
  const res = await fetch(api + path);
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

const ctx = {
  el,
  $: (sel) => el.querySelector(sel),
  getOrNull,
  async get(path) {
    const v = await getOrNull(path);
    if (v === null) throw new Error(`${path}: not found`);
    return v;
  },
};

document.title = `${boot.appName} - Sluice ${boot.mode === 'history' ? 'History' : 'UI'}`;
document.getElementById('app-name').textContent = `${boot.appName} (${boot.appId})${boot.mode === 'history' ? ' · history' : ''}`;
for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('active', a.dataset.tab === tab);

let busy = Promise.resolve();
const run = (fn) => (busy = busy.then(fn).catch((err) => {
  console.error(err);
  el.insertAdjacentHTML('afterbegin', `<p class="bad">${esc(err.message)}</p>`);
}));

run(() => page.render(ctx)).then(() => {
  document.body.dataset.ready = 'true';
  if (boot.mode === 'history') return;
  const live = document.getElementById('live');
  const source = new EventSource(`${api}/streaming/events`);
  source.addEventListener('open', () => live.classList.add('on'));
  source.addEventListener('error', () => live.classList.remove('on'));
  // Pushes that arrive while the page is still drawing the previous one are merged.
  let pending = null;
  source.addEventListener('update', (e) => {
    const push = JSON.parse(e.data);
    if (pending) {
      pending.statistics = push.statistics;
      pending.batches.push(...push.batches);
      return;
    }
    pending = push;
    run(async () => {
      const p = pending;
      pending = null;
      if (page.update) await page.update(ctx, p);
      document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
    });
  });
});
