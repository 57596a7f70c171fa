// BullMQ, unmodified, against a Redis-protocol server: node run.mjs PORT
//
// A Queue, a Worker (concurrency 2) and QueueEvents on one queue process: plain jobs with
// results and progress, a job that fails twice then succeeds (attempts + fixed backoff), a job
// that fails every attempt (attempts + exponential backoff), and a delayed job. Each check
// prints "ok: ..."; the first failure prints "FAIL: ..." and exits 1; success ends with
// "BULLMQ PASS <n> checks" and exit 0. The whole run is bounded by a 25 s watchdog.
import { Job, Queue, QueueEvents, Worker } from 'bullmq';

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
  check(warnings.length === 0, 'no warnings from BullMQ', warnings);
}

let code = 0;
try {
  await main();
  console.log(`BULLMQ PASS ${checks} checks`);
} catch (err) {
  console.log(`FAIL: ${err.stack || err}`);
  code = 1;
}
try {
  await Promise.all([worker?.close(), queue?.obliterate({ force: true }).catch(() => {})]);
  await Promise.all([queue?.close(), events?.close()]);
} catch (err) {
  console.log(`FAIL: close: ${err.message}`);
  code = 1;
}
clearTimeout(watchdog);
process.exit(code);
