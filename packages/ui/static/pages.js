// The pages. Each is { render(ctx), update?(ctx, push) }: render fetches what it shows from
// the REST API; update gets the live pushes (statistics and the batches that changed).
import { histogram, timeline } from './charts.js';
import { esc, fmtBytes, fmtInt, fmtMs, fmtRate, fmtTime, table } from './format.js';

const MAX_POINTS = 10_000;
const PAGE_SIZE = 50;

const batchLink = (b) => `<a href="/streaming/batch/?id=${b.batchId}">${esc(fmtTime(b.batchTime))}</a>`;
const opsCell = (b) =>
  `${b.numCompletedOutputOps - b.numFailedOutputOps}/${b.numTotalOutputOps}` +
  (b.numFailedOutputOps ? ` <span class="bad">(${b.numFailedOutputOps} failed)</span>` : '');
const firstLine = (s) => (s ? String(s).split('\n')[0] : '');

const batchCols = [
  { h: 'Batch Time', f: batchLink },
  { h: 'Records', num: true, f: (b) => fmtInt(b.inputSize) },
  { h: 'Scheduling Delay', num: true, f: (b) => fmtMs(b.schedulingDelay) },
  { h: 'Processing Time', num: true, f: (b) => fmtMs(b.processingTime) },
  { h: 'Total Delay', num: true, f: (b) => fmtMs(b.totalDelay) },
  { h: 'Output Ops: Succeeded/Total', f: opsCell },
  { h: 'Status', f: (b) => esc(b.status) },
  { h: 'Error', f: (b) => (b.firstFailureReason ? `<span class="bad">${esc(firstLine(b.firstFailureReason))}</span>` : '') },
];
const failedRow = (b) => (b.numFailedOutputOps ? 'failed' : '');

export const streamingPage = {
  async render(ctx) {
    const [stats, tl, receivers, active, done] = await Promise.all([
      ctx.get('/streaming/statistics'),
      ctx.get('/streaming/timeline'),
      ctx.get('/streaming/receivers'),
      ctx.get('/streaming/batches?status=PROCESSING'),
      ctx.get(`/streaming/batches?status=COMPLETED&length=${PAGE_SIZE}`),
    ]);
    const queued = await ctx.get('/streaming/batches?status=QUEUED');
    const names = {};
    for (const r of receivers) names[r.streamId] = r.streamName;
    this.streamIds = Object.keys(tl.streams).map(Number);
    this.streamNames = this.streamIds.map((id) => names[id] ?? `stream ${id}`);
    this.cols = tl;
    this.active = new Map([...active, ...queued].map((b) => [b.batchId, b]));
    this.completed = done;
    this.pageOffset = 0;
    ctx.el.innerHTML = `
      <h2>Streaming Statistics</h2>
      <p class="summary" id="summary"></p>
      <table class="stats"><thead><tr><th></th><th>Timelines</th><th>Histograms</th></tr></thead><tbody>
        ${['inputRate', 'schedulingDelay', 'processingTime', 'totalDelay'].map((k) => `<tr><td class="label" id="label-${k}"></td><td><div class="chart" id="tl-${k}"></div></td><td><div class="chart" id="hist-${k}"></div></td></tr>`).join('')}
      </tbody></table>
      <h3>Active Batches (<span id="n-active">0</span>)</h3><div id="active"></div>
      <h3>Completed Batches (last <span id="n-retained">0</span> out of <span id="n-completed-h">0</span>)</h3>
      <div class="pager"><button id="newer">Newer</button><button id="older">Older</button><span id="page-info"></span></div>
      <div id="completed"></div>`;
    const seriesNames = this.streamIds.length > 1 ? ['all', ...this.streamNames] : ['records/s'];
    this.charts = {
      inputRate: [timeline(ctx.$('#tl-inputRate'), '', seriesNames), histogram(ctx.$('#hist-inputRate'), '')],
      schedulingDelay: [timeline(ctx.$('#tl-schedulingDelay'), ' ms', ['ms']), histogram(ctx.$('#hist-schedulingDelay'), ' ms')],
      processingTime: [timeline(ctx.$('#tl-processingTime'), ' ms', ['ms']), histogram(ctx.$('#hist-processingTime'), ' ms')],
      totalDelay: [timeline(ctx.$('#tl-totalDelay'), ' ms', ['ms']), histogram(ctx.$('#hist-totalDelay'), ' ms')],
    };
    ctx.$('#newer').onclick = () => this.page(ctx, Math.max(0, this.pageOffset - PAGE_SIZE));
    ctx.$('#older').onclick = () => this.page(ctx, this.pageOffset + PAGE_SIZE);
    this.stats = stats;
    this.draw(ctx);
  },

  async page(ctx, offset) {
    this.pageOffset = offset;
    this.completed = await ctx.get(`/streaming/batches?status=COMPLETED&offset=${offset}&length=${PAGE_SIZE}`);
    this.drawTables(ctx);
  },

  update(ctx, push) {
    this.stats = push.statistics;
    const c = this.cols;
    const last = c.time.length ? c.time[c.time.length - 1] : -Infinity;
    const newlyDone = [];
    for (const b of push.batches) {
      if (b.status === 'COMPLETED') {
        this.active.delete(b.batchId);
        newlyDone.push(b);
      } else this.active.set(b.batchId, b);
    }
    newlyDone.sort((a, b) => a.batchId - b.batchId);
    const seconds = this.stats.batchDuration / 1000;
    for (const b of newlyDone) {
      if (b.batchId / 1000 <= last) continue;
      c.time.push(b.batchId / 1000);
      c.inputRate.push(b.inputSize / seconds);
      c.schedulingDelay.push(b.schedulingDelay);
      c.processingTime.push(b.processingTime);
      c.totalDelay.push(b.totalDelay);
      for (const id of this.streamIds) c.streams[id].push((b.streams?.[id] ?? 0) / seconds);
    }
    const extra = c.time.length - MAX_POINTS;
    if (extra > 0) {
      for (const k of ['time', 'inputRate', 'schedulingDelay', 'processingTime', 'totalDelay']) c[k].splice(0, extra);
      for (const id of this.streamIds) c.streams[id].splice(0, extra);
    }
    if (this.pageOffset === 0 && newlyDone.length) {
      const known = new Set(this.completed.map((b) => b.batchId));
      const fresh = newlyDone.filter((b) => !known.has(b.batchId)).reverse();
      this.completed = [...fresh, ...this.completed].slice(0, PAGE_SIZE);
    }
    this.draw(ctx);
  },

  draw(ctx) {
    const s = this.stats;
    const c = this.cols;
    const since = s.startTime ? Date.parse(s.startTime) : null;
    const upFor = since ? (s.endTime ? Date.parse(s.endTime) : Date.now()) - since : null;
    ctx.$('#summary').innerHTML =
      `${s.endTime ? 'Ran' : 'Running'} batches of <b>${fmtMs(s.batchDuration)}</b> for <b>${fmtMs(upFor)}</b> since ${esc(fmtTime(s.startTime))} ` +
      `(<b id="stat-completed">${fmtInt(s.numTotalCompletedBatches)}</b> completed batches, <b id="stat-records">${fmtInt(s.numProcessedRecords)}</b> records, ` +
      `<b id="stat-failed" class="${s.numFailedBatches ? 'bad' : ''}">${fmtInt(s.numFailedBatches)}</b> failed batches)`;
    ctx.$('#label-inputRate').innerHTML = `<b>Input Rate</b><div>Receivers: <span id="stat-receivers">${s.numActiveReceivers} / ${s.numReceivers}</span> active</div><div>Avg: ${fmtRate(s.avgInputRate)}</div>`;
    ctx.$('#label-schedulingDelay').innerHTML = `<b>Scheduling Delay</b><div>Avg: ${fmtMs(s.avgSchedulingDelay)}</div>`;
    ctx.$('#label-processingTime').innerHTML = `<b>Processing Time</b><div>Avg: ${fmtMs(s.avgProcessingTime)}</div>`;
    ctx.$('#label-totalDelay').innerHTML = `<b>Total Delay</b><div>Avg: ${fmtMs(s.avgTotalDelay)}</div>`;
    const rateSeries = this.streamIds.length > 1 ? [c.inputRate, ...this.streamIds.map((id) => c.streams[id])] : [c.inputRate];
    this.charts.inputRate[0].set(c.time, rateSeries);
    this.charts.inputRate[1].set(c.inputRate);
    for (const k of ['schedulingDelay', 'processingTime', 'totalDelay']) {
      this.charts[k][0].set(c.time, [c[k]]);
      this.charts[k][1].set(c[k]);
    }
    this.drawTables(ctx);
  },

  drawTables(ctx) {
    const s = this.stats;
    const active = [...this.active.values()].sort((a, b) => b.batchId - a.batchId);
    ctx.$('#n-active').textContent = String(active.length);
    ctx.$('#n-retained').textContent = fmtInt(s.numRetainedCompletedBatches);
    ctx.$('#n-completed-h').textContent = fmtInt(s.numTotalCompletedBatches);
    ctx.$('#active').innerHTML = table(batchCols, active, { empty: 'No active batches.', id: 'active-batches' });
    ctx.$('#completed').innerHTML = table(batchCols, this.completed, { empty: 'No completed batches yet.', id: 'completed-batches', rowClass: failedRow });
    ctx.$('#page-info').textContent = `batches ${this.pageOffset + 1}-${this.pageOffset + this.completed.length}`;
    ctx.$('#newer').disabled = this.pageOffset === 0;
    ctx.$('#older').disabled = this.completed.length < PAGE_SIZE;
  },
};

export const batchPage = {
  async render(ctx) {
    this.id = new URLSearchParams(location.search).get('id') ?? '';
    const b = await ctx.getOrNull(`/streaming/batches/${encodeURIComponent(this.id)}`);
    if (!b) {
      ctx.el.innerHTML = `<h2>Batch</h2><p class="bad" id="not-found">No batch ${esc(this.id)} (it may be older than the retained batches).</p>`;
      return;
    }
    const ops = b.outputOperations;
    const offsets = b.inputs.flatMap((i) => (i.metadata && Array.isArray(i.metadata.offsets) ? i.metadata.offsets.map((o) => ({ ...o, streamId: i.streamId })) : []));
    ctx.el.innerHTML = `
      <h2>Details of batch at ${esc(fmtTime(b.batchTime))}</h2>
      <p class="summary">Status <b id="batch-status">${esc(b.status)}</b> · Batch duration <b>${fmtMs(b.batchDuration)}</b> ·
        Input size <b id="batch-records">${fmtInt(b.inputSize)}</b> records · Scheduling delay <b>${fmtMs(b.schedulingDelay)}</b> ·
        Processing time <b>${fmtMs(b.processingTime)}</b> · Total delay <b>${fmtMs(b.totalDelay)}</b></p>
      <h3>Input</h3>
      ${table(
        [
          { h: 'Stream', f: (i) => esc(i.streamId) },
          { h: 'Records', num: true, f: (i) => fmtInt(i.records) },
          { h: 'Bytes', num: true, f: (i) => (i.bytes ? fmtBytes(i.bytes) : '-') },
        ],
        b.inputs,
        { empty: 'No input streams.' },
      )}
      ${
        offsets.length
          ? `<h3>Kafka offset ranges</h3>${table(
              [
                { h: 'Topic', f: (o) => esc(o.topic) },
                { h: 'Partition', num: true, f: (o) => esc(o.partition) },
                { h: 'From offset', num: true, f: (o) => fmtInt(o.fromOffset) },
                { h: 'Until offset', num: true, f: (o) => fmtInt(o.untilOffset) },
                { h: 'Records', num: true, f: (o) => fmtInt(o.untilOffset - o.fromOffset) },
              ],
              offsets,
            )}`
          : ''
      }
      <h3>Output Operations</h3>
      ${table(
        [
          { h: 'Id', num: true, f: (o) => esc(o.outputOpId) },
          { h: 'Operation', f: (o) => `<b>${esc(o.name)}</b><div class="summary">${esc(o.description)}</div>` },
          { h: 'Duration', num: true, f: (o) => fmtMs(o.duration) },
          { h: 'Jobs', f: (o) => esc(o.jobIds.join(', ')) },
          {
            h: 'Error',
            f: (o) =>
              o.failureReason
                ? `<div class="bad op-error">${esc(o.failure ? o.failure.message : firstLine(o.failureReason))}</div>` +
                  (o.failure ? `<div class="summary">stage ${esc(o.failure.stage)}, partition ${esc(o.failure.partition)}, executor ${esc(o.failure.executorId)}</div>` : '') +
                  `<pre class="op-stack">${esc(o.failure ? o.failure.stack : o.failureReason)}</pre>`
                : '<span class="ok">succeeded</span>',
          },
        ],
        ops,
        { id: 'output-ops', rowClass: (o) => (o.failureReason ? 'failed' : '') },
      )}
      <h3>Jobs and Stages</h3>
      ${b.detailKept ? '' : '<p class="empty">Jobs and tasks of older batches are not retained.</p>'}
      ${table(
        [
          { h: 'Output Op', num: true, f: (r) => esc(r.outputOpId) },
          { h: 'Job', num: true, f: (r) => esc(r.jobId) },
          { h: 'Action', f: (r) => esc(r.action) },
          { h: 'Stage', f: (r) => esc(r.stage.name) },
          { h: 'Tasks', num: true, f: (r) => fmtInt(r.stage.numTasks) },
          { h: 'Duration', num: true, f: (r) => fmtMs(r.stage.duration) },
          { h: 'Failure', f: (r) => (r.stage.failureReason ? `<span class="bad">${esc(r.stage.failureReason)}</span>` : '') },
        ],
        b.jobs.flatMap((j) => j.stages.map((stage) => ({ ...j, stage }))),
        { empty: 'No jobs (yet).', id: 'stages' },
      )}
      <h3>Tasks (${fmtInt(b.tasks.length)}${b.tasksNotKept ? ` shown, ${fmtInt(b.tasksNotKept)} more not kept` : ''})</h3>
      ${table(
        [
          { h: 'Output Op', num: true, f: (t) => esc(t.outputOpId) },
          { h: 'Job', num: true, f: (t) => esc(t.jobId) },
          { h: 'Stage', f: (t) => esc(t.stageId) },
          { h: 'Partition', num: true, f: (t) => esc(t.partition) },
          { h: 'Executor', f: (t) => esc(t.executorId) },
          { h: 'Duration', num: true, f: (t) => fmtMs(t.duration) },
          { h: 'Run Time', num: true, f: (t) => fmtMs(t.runTime) },
          { h: 'Records Read', num: true, f: (t) => fmtInt(t.recordsRead) },
          { h: 'Status', f: (t) => (t.status === 'SUCCESS' ? '<span class="ok">SUCCESS</span>' : `<span class="bad">FAILED</span> ${esc(t.errorMessage)}`) },
        ],
        b.tasks,
        { empty: 'No tasks (yet).', id: 'tasks' },
      )}`;
    this.status = b.status;
  },
  update(ctx, push) {
    if (this.status !== 'COMPLETED' && push.batches.some((b) => String(b.batchId) === this.id)) return this.render(ctx);
  },
};

const refreshEvery = (ms, page) => ({
  ...page,
  update(ctx) {
    const now = Date.now();
    const wait = this.last ? this.last + ms - now : 0;
    if (wait > 0) {
      // Too soon after the last render: render once the interval is up rather than drop
      // the update, or the run's final push (its last figures) could be the one dropped.
      if (!this.trailing) {
        this.trailing = setTimeout(() => {
          this.trailing = null;
          this.last = Date.now();
          Promise.resolve(this.render(ctx)).catch((err) => console.error(err));
        }, wait);
      }
      return;
    }
    this.last = now;
    return this.render(ctx);
  },
});

export const receiversPage = refreshEvery(1000, {
  async render(ctx) {
    const rs = await ctx.get('/streaming/receivers');
    ctx.el.innerHTML = `<h2>Receivers</h2>${table(
      [
        { h: 'Stream', f: (r) => `${esc(r.streamName)} <span class="summary">(${r.streamId})</span>` },
        { h: 'Status', f: (r) => `<span class="${r.state === 'ACTIVE' ? 'ok' : 'bad'}">${esc(r.state)}</span>` },
        { h: 'Location', f: (r) => esc(`${r.executorHost || '-'} / ${r.executorId || '-'}`) },
        { h: 'Avg Rate', num: true, f: (r) => fmtRate(r.avgEventRate) },
        { h: 'Records Stored', num: true, f: (r) => fmtInt(r.recordsStored) },
        { h: 'Errors by Kind', f: (r) => esc(Object.entries(r.errorCounts).map(([k, n]) => `${k}: ${n}`).join(', ') || '-') },
        { h: 'Last Error', f: (r) => (r.lastErrorMessage ? `<span class="bad">${esc(r.lastErrorMessage)}</span><div class="summary">${esc(fmtTime(r.lastErrorTime))}</div>` : '-') },
      ],
      rs,
      { empty: 'This application has no receivers (Kafka direct streams and queue streams need none).', id: 'receivers' },
    )}`;
  },
});

export const executorsPage = refreshEvery(1000, {
  async render(ctx) {
    const es = await ctx.get('/executors');
    ctx.el.innerHTML = `<h2>Executors</h2>${table(
      [
        { h: 'Executor', f: (e) => esc(e.id) },
        { h: 'Address', f: (e) => esc(e.hostPort) },
        { h: 'Status', f: (e) => (e.isActive ? '<span class="ok">active</span>' : `<span class="bad">removed</span> ${esc(e.removeReason ?? '')}`) },
        { h: 'Cores', num: true, f: (e) => fmtInt(e.totalCores) },
        { h: 'Running', num: true, f: (e) => fmtInt(e.activeTasks) },
        { h: 'Done', num: true, f: (e) => fmtInt(e.completedTasks) },
        { h: 'Failed', num: true, f: (e) => (e.failedTasks ? `<span class="bad">${fmtInt(e.failedTasks)}</span>` : '0') },
        { h: 'Task Time', num: true, f: (e) => fmtMs(e.totalDuration) },
        { h: 'Records Read', num: true, f: (e) => fmtInt(e.recordsRead) },
        { h: 'Heartbeat Age', num: true, f: (e) => fmtMs(e.heartbeatAgeMs) },
        { h: 'Memory (RSS)', num: true, f: (e) => (e.memoryUsed ? fmtBytes(e.memoryUsed) : '-') },
        { h: 'Blocks Held', num: true, f: (e) => `${fmtInt(e.blocksHeld)} (${fmtBytes(e.bytesHeld)})` },
      ],
      es,
      { empty: 'No executors yet.', id: 'executors' },
    )}`;
  },
});

export const kafkaPage = refreshEvery(1000, {
  async render(ctx) {
    const ps = await ctx.get('/streaming/kafka');
    ctx.el.innerHTML = `<h2>Kafka</h2><p class="summary">Offsets of the newest completed batch per partition; lag is the log end when that batch was cut minus its end offset.</p>${table(
      [
        { h: 'Topic', f: (p) => esc(p.topic) },
        { h: 'Partition', num: true, f: (p) => esc(p.partition) },
        { h: 'From Offset', num: true, f: (p) => fmtInt(p.fromOffset) },
        { h: 'Until Offset', num: true, f: (p) => fmtInt(p.untilOffset) },
        { h: 'Log End', num: true, f: (p) => fmtInt(p.logEndOffset) },
        { h: 'Lag', num: true, f: (p) => fmtInt(p.lag) },
        { h: 'Rate', num: true, f: (p) => fmtRate(p.rate) },
        { h: 'Records Read', num: true, f: (p) => fmtInt(p.recordsTotal) },
      ],
      ps,
      { empty: 'This application reads no Kafka topic.', id: 'kafka' },
    )}`;
  },
});

export const environmentPage = {
  async render(ctx) {
    const env = await ctx.get('/environment');
    const rows = (o) => Object.entries(o).map(([k, v]) => ({ k, v: typeof v === 'string' ? v : JSON.stringify(v) }));
    const cols = [
      { h: 'Name', f: (r) => esc(r.k) },
      { h: 'Value', f: (r) => esc(r.v) },
    ];
    ctx.el.innerHTML = `<h2>Environment</h2><h3>Application</h3>${table(cols, rows({ id: env.appId, name: env.appName }))}
      <h3>Runtime</h3>${table(cols, rows(env.runtime))}<h3>Streaming configuration</h3>${table(cols, rows(env.conf), { id: 'conf' })}`;
  },
};

export const classifierPage = refreshEvery(1000, {
  async render(ctx) {
    const m = (await ctx.get('/app-metrics')).classifier;
    if (!m) {
      ctx.el.innerHTML = '<h2>Classifier</h2><p class="empty">This application reports no classifier figures: run an image classifier (sluice-classify) to see them here.</p>';
      return;
    }
    const v = m.values;
    const lat = v.latencyMs ?? {};
    const card = (k, val, id) => `<div class="card"><div class="v"${id ? ` id="${id}"` : ''}>${val}</div><div class="k">${esc(k)}</div></div>`;
    const rate = (r) => (r === null || r === undefined ? '-' : r.toFixed(1));
    // With Kafka output the executors write the results: only the total is known here.
    const classified = v.classified === null || v.classified === undefined ? card('images (results)', fmtInt(v.images), 'cls-images') : card('images classified', fmtInt(v.classified), 'cls-classified');
    ctx.el.innerHTML = `<h2>Classifier</h2>
      <div class="cards">${classified}${card('errors', fmtInt(v.errors), 'cls-errors')}${card('images/s (last 10 s)', rate(v.imagesPerSecond), 'cls-rate-recent')}${card('images/s (whole run)', rate(v.imagesPerSecondOverall), 'cls-rate')}
      ${card('latency p50', fmtMs(lat.p50), 'cls-p50')}${card('latency p90', fmtMs(lat.p90), 'cls-p90')}${card('latency p99', fmtMs(lat.p99), 'cls-p99')}${card('latency max', fmtMs(lat.max), 'cls-max')}${card('launch to first result', fmtMs(v.startupMs), 'cls-startup')}</div>
      ${v.latencyBasis ? `<p class="summary">Latency: ${esc(v.latencyBasis)}.</p>` : ''}
      <h3>Labels (top-1)</h3>${table(
        [
          { h: 'Label', f: (r) => esc(r[0]) },
          { h: 'Images', num: true, f: (r) => fmtInt(r[1]) },
        ],
        Object.entries(v.labels ?? {}).sort((a, b) => b[1] - a[1]),
        { empty: 'No image classified yet.', id: 'cls-labels' },
      )}
      <h3>Recent errors</h3>${table(
        [
          { h: 'Time', f: (e) => esc(fmtTime(e.time)) },
          { h: 'Image', f: (e) => esc(e.name ?? '-') },
          { h: 'Kind', f: (e) => esc(e.kind) },
          { h: 'Message', f: (e) => `<span class="bad">${esc(e.message ?? '')}</span>` },
        ],
        v.recentErrors ?? [],
        { empty: 'No errors.', id: 'cls-recent-errors' },
      )}`;
  },
});
