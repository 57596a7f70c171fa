// BullMQ, unmodified, against a Redis-protocol server: node run.mjs PORT
//
// A Queue, a Worker (concurrency 2) and QueueEvents on one queue process: plain jobs with
// results and progress, a job that fails twice then succeeds (attempts + fixed backoff), a job
// that fails every attempt (attempts + exponential backoff), and a delayed job. A second queue
// with a worker of concurrency 1 covers more of BullMQ's scripts: priorities, a parent/children
// flow, job logs, a manual retry, pause/resume, removeOnComplete, deduplication, a job
// scheduler (repeat every N ms), getJobs and clean; a third, a rate limiter. Each check prints "ok: ..."; the first
// failure prints "FAIL: ..." and exits 1; success ends with "BULLMQ PASS <n> checks" and exit
// 0. The whole run is bounded by a 25 s watchdog.
import { FlowProducer, Job, Queue, QueueEvents, Worker } from 'bullmq';

const port = Number(process.argv[2]);
if (!port) {
  console.error('usage: node run.mjs PORT');
  process.exit(2);
}
const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
const queueName = `dqtest-${process.pid}`;
let checks = 0;

const warnings = [];
const origWarn = console.warn;
console.warn = (...args) => {
  warnings.push(args.join(' '));
  origWarn(...args);
};

const watchdog = setTimeout(() => {
  console.log('FAIL: watchdog: the run did not finish within 25 s');
  process.exit(1);
}, 25000);

function check(cond, what, detail) {
  if (!cond) {
    throw new Error(`${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);
  }
  checks++;
  console.log(`ok: ${what}`);
}

const seen = { completed: [], failed: [], progress: [], delayed: [], workerFailed: [] };
let queue;
let worker;
let events;
let queue2;
let worker2;
let events2;
let flows;
let queue3;
let worker3;

async function main() {
  events = new QueueEvents(queueName, { connection });
  events.on('completed', ({ jobId }) => seen.completed.push(jobId));
  events.on('failed', ({ jobId, failedReason }) => seen.failed.push([jobId, failedReason]));
  events.on('progress', ({ jobId, data }) => seen.progress.push([jobId, data]));
  events.on('delayed', ({ jobId }) => seen.delayed.push(jobId));
  await events.waitUntilReady();

  queue = new Queue(queueName, { connection });
  await queue.waitUntilReady();

  worker = new Worker(
    queueName,
    async (job) => {
      switch (job.name) {
        case 'add':
          await job.updateProgress(50);
          return job.data.a + job.data.b;
        case 'flaky':
          if (job.attemptsMade < 2) throw new Error(`flaky attempt ${job.attemptsMade + 1}`);
          return `ok after ${job.attemptsMade} failures`;
        case 'fail':
          throw new Error('always fails');
        case 'delayed':
          return Date.now();
        default:
          throw new Error(`unknown job ${job.name}`);
      }
    },
    { connection, concurrency: 2 },
  );
  worker.on('failed', (job, err) => seen.workerFailed.push([job?.id, err.message]));
  worker.on('error', (err) => console.log(`worker error: ${err.message}`));
  await worker.waitUntilReady();

  // Plain jobs: results through QueueEvents, progress events.
  const adds = await queue.addBulk(
    [1, 2, 3, 4, 5].map((i) => ({ name: 'add', data: { a: i, b: i } })),
  );
  const results = await Promise.all(adds.map((j) => j.waitUntilFinished(events, 10000)));
  check(JSON.stringify(results) === '[2,4,6,8,10]', 'addBulk jobs return their results', results);
  const single = await queue.add('add', { a: 40, b: 2 });
  check((await single.waitUntilFinished(events, 10000)) === 42, 'single job result');
  const fetched = await Job.fromId(queue, single.id);
  check(fetched.returnvalue === 42, 'Job.fromId returnvalue', fetched.returnvalue);
  check(fetched.progress === 50, 'job progress stored', fetched.progress);
  check((await fetched.getState()) === 'completed', 'job state completed');
  check(fetched.finishedOn >= fetched.processedOn, 'processedOn/finishedOn set');

  // Fails twice, succeeds on the third attempt (fixed backoff).
  const flaky = await queue.add('flaky', {}, {
    attempts: 3,
    backoff: { type: 'fixed', delay: 100 },
  });
  const flakyResult = await flaky.waitUntilFinished(events, 10000);
  check(flakyResult === 'ok after 2 failures', 'retried job succeeds', flakyResult);
  const flakyJob = await Job.fromId(queue, flaky.id);
  check(flakyJob.attemptsMade === 3, 'retried job attemptsMade 3', flakyJob.attemptsMade);

  // Fails every attempt (exponential backoff): the error reaches waitUntilFinished.
  const bad = await queue.add('fail', {}, {
    attempts: 2,
    backoff: { type: 'exponential', delay: 50 },
  });
  let badError = null;
  try {
    await bad.waitUntilFinished(events, 10000);
  } catch (err) {
    badError = err.message;
  }
  check(badError === 'always fails', 'failing job rejects with its error', badError);
  const badJob = await Job.fromId(queue, bad.id);
  check((await badJob.getState()) === 'failed', 'failing job state failed');
  check(badJob.attemptsMade === 2, 'failing job attemptsMade 2', badJob.attemptsMade);
  check(badJob.failedReason === 'always fails', 'failedReason stored', badJob.failedReason);
  check(Array.isArray(badJob.stacktrace) && badJob.stacktrace.length === 2,
    'one stack trace per attempt', badJob.stacktrace?.length);

  // Delayed job: runs no earlier than its delay.
  const before = Date.now();
  const delayed = await queue.add('delayed', {}, { delay: 600 });
  check((await delayed.getState()) === 'delayed', 'delayed job state delayed');
  const ranAt = await delayed.waitUntilFinished(events, 10000);
  check(ranAt - before >= 600, 'delayed job ran after its delay', ranAt - before);

  // What the event stream and the counters say.
  const counts = await queue.getJobCounts('completed', 'failed', 'delayed', 'wait', 'active');
  const want = { completed: 8, failed: 1, delayed: 0, wait: 0, active: 0 };
  check(JSON.stringify(counts) === JSON.stringify(want), 'job counts', counts);
  check(seen.completed.length === 8, 'QueueEvents saw 8 completed', seen.completed);
  check(seen.failed.some(([id, reason]) => id === bad.id && reason === 'always fails'),
    'QueueEvents saw the failure', seen.failed);
  check(seen.progress.filter(([, data]) => data === 50).length === 6, 'QueueEvents saw progress',
    seen.progress.length);
  check(seen.workerFailed.filter(([id]) => id === flaky.id).length === 2,
    'worker reported the 2 flaky failures', seen.workerFailed);
  const completed = await queue.getCompleted(0, -1);
  check(completed.length === 8, 'getCompleted lists 8 jobs', completed.length);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, pred, ms = 8000) {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function extras() {
  const name2 = `${queueName}-x`;
  events2 = new QueueEvents(name2, { connection });
  const completed2 = new Map();
  events2.on('completed', ({ jobId, returnvalue }) => completed2.set(jobId, returnvalue));
  await events2.waitUntilReady();
  queue2 = new Queue(name2, { connection });
  flows = new FlowProducer({ connection });

  // Prioritized jobs added before any worker runs come out by ascending priority.
  for (const p of [5, 1, 3]) await queue2.add(`p${p}`, {}, { priority: p });
  check((await queue2.getPrioritizedCount()) === 3, 'three prioritized jobs');
  const order = [];
  let ticks = 0;
  worker2 = new Worker(
    name2,
    async (job) => {
      order.push(job.name);
      switch (job.name) {
        case 'child':
          return job.data.v;
        case 'parent': {
          const values = await job.getChildrenValues();
          return Object.values(values).reduce((a, b) => a + b, 0);
        }
        case 'logger':
          await job.log('line 1');
          await job.log('line 2');
          return 'logged';
        case 'maybe-fail':
          if (job.data.fail) throw new Error('failed on purpose');
          return 'recovered';
        case 'tick':
          ticks++;
          return ticks;
        default:
          return job.name;
      }
    },
    { connection, concurrency: 1 },
  );
  worker2.on('error', (err) => console.log(`worker2 error: ${err.message}`));
  await until('the prioritized jobs', async () => order.length >= 3);
  check(JSON.stringify(order.slice(0, 3)) === '["p1","p3","p5"]', 'priority order', order);

  // A flow: the parent runs after its two children and sees their results.
  const tree = await flows.add({
    name: 'parent',
    queueName: name2,
    children: [
      { name: 'child', data: { v: 1 }, queueName: name2 },
      { name: 'child', data: { v: 2 }, queueName: name2 },
    ],
  });
  const parentResult = await tree.job.waitUntilFinished(events2, 10000);
  check(parentResult === 3, 'flow parent sums its children', parentResult);
  const parentJob = await Job.fromId(queue2, tree.job.id);
  check(Object.keys(await parentJob.getChildrenValues()).length === 2, 'children values');

  // Job logs.
  const logger = await queue2.add('logger', {});
  await logger.waitUntilFinished(events2, 10000);
  const logs = await queue2.getJobLogs(logger.id);
  check(JSON.stringify(logs) === JSON.stringify({ logs: ['line 1', 'line 2'], count: 2 }),
    'job logs', logs);

  // A failed job retried by hand after fixing its data.
  const mf = await queue2.add('maybe-fail', { fail: true });
  let mfError = null;
  try {
    await mf.waitUntilFinished(events2, 10000);
  } catch (err) {
    mfError = err.message;
  }
  check(mfError === 'failed on purpose', 'job failed once', mfError);
  const mfJob = await Job.fromId(queue2, mf.id);
  await mfJob.updateData({ fail: false });
  await mfJob.retry('failed');
  await until('the retried job', async () => (await mfJob.getState()) === 'completed');
  check((await Job.fromId(queue2, mf.id)).returnvalue === 'recovered', 'manual retry completes');

  // Pause and resume.
  await queue2.pause();
  check(await queue2.isPaused(), 'queue paused');
  const held = await queue2.add('held', {});
  await sleep(150);
  check((await held.getState()) !== 'completed', 'no job runs while paused');
  await queue2.resume();
  check((await held.waitUntilFinished(events2, 10000)) === 'held', 'job runs after resume');

  // removeOnComplete: the job is gone once done (so no waitUntilFinished: it may be gone
  // before that looks at it).
  const gone = await queue2.add('gone', {}, { removeOnComplete: true });
  await until('the completed event', async () => completed2.has(gone.id));
  check(completed2.get(gone.id) === 'gone', 'completed event of a removeOnComplete job');
  check((await Job.fromId(queue2, gone.id)) === undefined, 'removeOnComplete removes the job');

  // Deduplication: a second add with the same id gives the same job.
  const d1 = await queue2.add('dedup', {}, { delay: 5000, deduplication: { id: 'dq-d1' } });
  const d2 = await queue2.add('dedup', {}, { delay: 5000, deduplication: { id: 'dq-d1' } });
  check(d1.id === d2.id, 'deduplicated add returns the same job', [d1.id, d2.id]);
  check((await queue2.getDelayedCount()) === 1, 'one delayed job');
  await d1.remove();
  check((await queue2.getDelayedCount()) === 0, 'job removed');

  // A job scheduler repeating every 200 ms.
  await queue2.upsertJobScheduler('ticker', { every: 200 }, { name: 'tick', data: {} });
  check((await queue2.getJobSchedulers()).length === 1, 'one job scheduler');
  await until('two ticks', async () => ticks >= 2);
  check(await queue2.removeJobScheduler('ticker'), 'job scheduler removed');
  check((await queue2.getJobSchedulersCount()) === 0, 'no job scheduler left');

  // Listing and cleaning completed jobs.
  const done = await queue2.getJobs(['completed'], 0, -1);
  check(done.length >= 10, 'getJobs lists the completed jobs', done.length);
  const cleaned = await queue2.clean(0, 1000, 'completed');
  check(cleaned.length === done.length, 'clean removes them', [cleaned.length, done.length]);
  check((await queue2.getCompletedCount()) === 0, 'no completed job left');
}

// A rate-limited worker: at most 2 jobs per 400 ms.
async function rateLimited() {
  const name3 = `${queueName}-rl`;
  queue3 = new Queue(name3, { connection });
  await queue3.addBulk([1, 2, 3, 4].map((i) => ({ name: 'rl', data: { i } })));
  const started = [];
  worker3 = new Worker(name3, async () => {
    started.push(Date.now());
  }, { connection, concurrency: 4, limiter: { max: 2, duration: 400 } });
  await until('the rate-limited jobs', async () => (await queue3.getCompletedCount()) === 4);
  started.sort((a, b) => a - b);
  check(started[2] - started[0] >= 350, 'rate limiter: the third job waits for the window',
    started.map((t) => t - started[0]));
}

let code = 0;
try {
  await main();
  await extras();
  await rateLimited();
  check(warnings.length === 0, 'no warnings from BullMQ', warnings);
  console.log(`BULLMQ PASS ${checks} checks`);
} catch (err) {
  console.log(`FAIL: ${err.stack || err}`);
  code = 1;
}
try {
  await Promise.all([worker?.close(), worker2?.close(), worker3?.close()]);
  await Promise.all(
    [queue, queue2, queue3].map((q) => q?.obliterate({ force: true }).catch(() => {})),
  );
  await Promise.all([queue, events, queue2, events2, queue3].map((x) => x?.close()));
  await flows?.close();
} catch (err) {
  console.log(`FAIL: close: ${err.message}`);
  code = 1;
}
clearTimeout(watchdog);
process.exit(code);
