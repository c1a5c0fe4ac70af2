/**
 * The ack load generator, alone in its own process (see bench/README.md, "Processes"): it sends requests
 * the parent prepared (signed bodies and their headers), `inFlight` at a time, each on a connection of its
 * own as `sendSignedForm` does, and answers with the time from writing each request to its HTTP response.
 * Its event loop does nothing else, so a busy fake Kantata or fake Slack in the parent cannot delay the
 * timestamps; the time is the bot's (and the machine's).
 *   parent → child  {type:'run', endpoint, requests, inFlight} → {type:'done', results}
 */
import { connect } from 'node:net';

export type PreparedRequest = { body: string; headers: Record<string, string> };
export type SentResult = { ms: number; status: number };
export type LoadMessage = { type: 'run'; endpoint: string; requests: PreparedRequest[]; inFlight: number };
export type LoadAnswer =
  | { type: 'done'; results: SentResult[]; cpuMs: number }
  | { type: 'failed'; message: string };

/**
 * One request on a connection of its own, as `http.request` with `agent: false` sends it (`Connection:
 * close`), written as bytes on a plain socket and timed to the end of the response. Written here, not with
 * `node:http`: its client costs this process about 0.5 ms of CPU per request (measured: 250 ms for 500),
 * CPU taken from the two cores the bot under test runs on, and the ack figures then measure the load
 * generator as much as the bot. This client only writes a prepared request and reads a status line, the
 * headers and a `content-length` body (or the body up to the close).
 */
function send(target: Target, prepared: PreparedRequest): Promise<SentResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    const head = Object.entries(prepared.headers)
      .filter(([name]) => !/^(host|connection|content-length)$/i.test(name))
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    const body = Buffer.from(prepared.body);
    socket.write(
      `POST ${target.path} HTTP/1.1\r\nhost: ${target.hostHeader}\r\nconnection: close\r\n` +
        `content-length: ${body.length}\r\n${head}\r\n`,
    );
    socket.write(body);
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (status: number) => {
      if (settled) return;
      settled = true;
      resolve({ ms: performance.now() - started, status });
      socket.destroy();
    };
    const parsed = () => {
      const data = Buffer.concat(chunks, received);
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return null;
      const headText = data.subarray(0, end).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(headText)?.[1] ?? 0);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(headText);
      return { status, complete: length ? data.length - end - 4 >= Number(length[1]) : false };
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      const answer = parsed();
      if (answer?.complete) finish(answer.status);
    });
    socket.on('end', () => {
      const answer = parsed();
      if (answer) finish(answer.status);
      else if (!settled) reject(new Error('the bot closed the connection without an HTTP response'));
    });
    socket.on('error', (error) => {
      if (!settled) reject(error);
    });
  });
}

type Target = { host: string; port: number; path: string; hostHeader: string };

function targetOf(endpoint: string): Target {
  const url = new URL(endpoint);
  return {
    host: url.hostname,
    port: Number(url.port || 80),
    path: url.pathname + url.search,
    hostHeader: url.host,
  };
}

async function run(message: Extract<LoadMessage, { type: 'run' }>): Promise<SentResult[]> {
  const results: SentResult[] = new Array(message.requests.length);
  const target = targetOf(message.endpoint);
  let next = 0;
  const worker = async () => {
    while (next < message.requests.length) {
      const index = next;
      next += 1;
      results[index] = await send(target, message.requests[index]!);
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
