import { httpGet } from '../../fakes/http.js';

export { httpGet };

/** `/readyz` of a bot on loopback, with its JSON body. */
export async function readyz(port: number | undefined) {
  const { status, body } = await httpGet(`http://127.0.0.1:${port}/readyz`);
  return {
    status,
    json: JSON.parse(body) as { ready: boolean; failing: string[]; checks: Record<string, boolean> },
  };
}
