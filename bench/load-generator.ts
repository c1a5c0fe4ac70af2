/**
 * The ack load generator, alone in its own process (see bench/README.md, "Processes"): it sends requests
 * the parent prepared (signed bodies and their headers), `inFlight` at a time, each on a connection of its
 * own as `sendSignedForm` does, and answers with the time from writing each request to its HTTP response.
 * Its event loop does nothing else, so a busy fake Kantata or fake Slack in the parent cannot delay the
 * timestamps; the time is the bot's (and the machine's).
 *   parent → child  {type:'run', endpoint, requests, inFlight} → {type:'done', results}
 */
import { request } from 'node:http';

export type PreparedRequest = { body: string; headers: Record<string, string> };
export type SentResult = { ms: number; status: number };
export type LoadMessage = { type: 'run'; endpoint: string; requests: PreparedRequest[]; inFlight: number };
export type LoadAnswer =
  | { type: 'done'; results: SentResult[]; cpuMs: number }
  | { type: 'failed'; message: string };

function send(endpoint: string, prepared: PreparedRequest): Promise<SentResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(endpoint, { method: 'POST', headers: prepared.headers, agent: false }, (res) => {
      res.resume();
      res.on('error', reject);
      // Timed to the end of the (small) body, as the in-process driver's `sendSignedForm` resolves.
      res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end(prepared.body);
  });
}

async function run(message: Extract<LoadMessage, { type: 'run' }>): Promise<SentResult[]> {
  const results: SentResult[] = new Array(message.requests.length);
  let next = 0;
  const worker = async () => {
    while (next < message.requests.length) {
      const index = next;
      next += 1;
      results[index] = await send(message.endpoint, message.requests[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(message.inFlight, message.requests.length) }, worker));
  return results;
}

process.on('message', (message: LoadMessage) => {
  if (message.type !== 'run') return;
  const cpu = process.cpuUsage();
  run(message).then(
    (results) => {
      const used = process.cpuUsage(cpu);
      process.send?.({ type: 'done', results, cpuMs: (used.user + used.system) / 1000 } satisfies LoadAnswer);
    },
    (error: unknown) =>
      process.send?.({
        type: 'failed',
        message: error instanceof Error ? error.message : String(error),
      } satisfies LoadAnswer),
  );
});
process.on('disconnect', () => process.exit(0));
