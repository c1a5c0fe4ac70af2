/** Small HTTP helpers on loopback for tests, the bench and scripts (no keep-alive: nothing stays open). */
import { get } from 'node:http';
import { createServer } from 'node:net';

/** GET: status, body text and content type. Rejects when the connection fails. */
export function httpGet(url: string): Promise<{ status: number; body: string; contentType: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body,
          contentType: String(res.headers['content-type'] ?? ''),
        }),
      );
    });
    req.on('error', reject);
  });
}

/** The status of a GET, 0 when nothing answers yet (for polling a process that is starting). */
export function httpStatus(url: string): Promise<number> {
  return httpGet(url).then(
    (res) => res.status,
    () => 0,
  );
}

/** A port that was free a moment ago, for a child that must be told its PORT (1–65535). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
