import { get } from 'node:http';

/** GET on loopback without keep-alive (nothing stays open after a test): status and body text. */
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

/** `/readyz` of a bot on loopback, with its JSON body. */
export async function readyz(port: number | undefined) {
  const { status, body } = await httpGet(`http://127.0.0.1:${port}/readyz`);
  return {
    status,
    json: JSON.parse(body) as { ready: boolean; failing: string[]; checks: Record<string, boolean> },
  };
}
