// What the benchmark measures in the page, and how it sums it up.
//
// installTimings runs in the page before its own scripts (addInitScript).
// For every WebSocket message the page handles, and every tap on a button,
// it notes when the handling started and ended, then, in the next animation
// frame, when the frame began and when it was done (a task posted from
// requestAnimationFrame runs once the frame is painted). It reports each
// through window.benchDone(record).
export function installTimings() {
  const afterFrame = (record) => requestAnimationFrame(() => {
    record.frame = performance.now();
    record.handled ??= record.frame;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      record.painted = performance.now();
      window.benchDone(record);
    };
    channel.port2.postMessage(null);
  });
  const listen = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function addEventListener(type, handler, options) {
    if (type !== 'message') return listen.call(this, type, handler, options);
    return listen.call(this, type, (message) => {
      const start = performance.now();
      handler.call(this, message);
      const record = { what: 'message', data: message.data, start, handled: performance.now() };
      afterFrame(record);
    }, options);
  };
  // A tap starts when its click event was made and is handled once the
  // click has bubbled up to the window, through the page's own listeners.
  document.addEventListener('click', (e) => {
    const button = e.target.closest?.('button');
    if (!button) return;
    const record = { what: 'tap', label: button.getAttribute('aria-label') ?? button.textContent, start: e.timeStamp };
    window.addEventListener('click', () => { record.handled = performance.now(); }, { once: true });
    afterFrame(record);
  }, true);
}

// Times of one record, in ms: `work` is the script plus the frame that shows
// it (style, layout, paint); `latency` also counts the wait for that frame.
export function timesOf(r) {
  return { script: r.handled - r.start, frame: r.painted - r.frame, work: (r.handled - r.start) + (r.painted - r.frame), latency: r.painted - r.start };
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summary(values) {
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) };
}

// The longest tasks of the page's main thread in a Chromium trace
// (category disabled-by-default-devtools.timeline): its renderer is the one whose main frame
// has `urlPart` in its address.
export function longestTasks(traceBuffer, urlPart) {
  const events = JSON.parse(traceBuffer.toString()).traceEvents;
  const started = events.find((e) => e.name === 'TracingStartedInBrowser');
  const frame = started?.args?.data?.frames?.find((f) => f.url.includes(urlPart));
  const pid = frame?.processId;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args.name === 'CrRendererMain');
  if (!main) return [];
  return events
    .filter((e) => e.pid === pid && e.tid === main.tid && e.ph === 'X' && e.name === 'RunTask')
    .map((e) => e.dur / 1000)
    .sort((a, b) => b - a);
}

export const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
