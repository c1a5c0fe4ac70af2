import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReadinessReport } from './readiness.js';

/** The shape of Bolt's `CustomRoute`, so that both receivers (HTTP and Socket Mode) can serve these. */
export type HealthRoute = {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
};

/**
 * `GET /healthz`: alive. Answering at all proves the process runs and its event loop turns; nothing
 * outside is asked, so a Kantata or database outage never gets a healthy bot restarted.
 * `GET /readyz`: ready for work (store takes a write, Kantata answers, Slack connected in Socket Mode);
 * 503 names the failing parts, so a load balancer stops sending work and an operator sees why.
 */
export function healthRoutes(readiness: () => Promise<ReadinessReport>): HealthRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => sendJson(res, 200, { ok: true }),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req, res) => {
        readiness().then(
          (report) => sendJson(res, report.ready ? 200 : 503, report),
          () => sendJson(res, 503, { ready: false, failing: ['readiness'], checks: {} }),
        );
      },
    },
  ];
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
