/**
 * A start that fails after the Slack app is up (here: METRICS_PORT taken by another program) stops what it
 * had started: the Slack port is free again and the store can be opened by the next start at once.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKantata } from '../../fakes/fake-kantata/index.js';
import { startFakeSlack } from '../../fakes/fake-slack/index.js';
import { startTestBot } from '../harness.js';

const servers: Server[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) server.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function listen(port = 0): Promise<Server> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return server;
}

const portOf = (server: Server) => (server.address() as { port: number }).port;

describe('a start that fails once the Slack app listens', () => {
  it('closes the Slack port and the store again, so the next start succeeds', async () => {
    const kantata = await startFakeKantata();
    const slack = await startFakeSlack();
    const dir = mkdtempSync(join(tmpdir(), 'groups-failed-start-'));
    cleanups.push(
      () => kantata.close(),
      () => slack.close(),
      () => rmSync(dir, { recursive: true, force: true }),
    );
    const storeFile = join(dir, 'store.json');
    const metricsTaken = await listen();
    // A free port for the Slack app, known in advance so that it can be checked afterwards.
    const probe = await listen();
    const slackPort = portOf(probe);
    probe.close();
    await once(probe, 'close');

    const failed = startTestBot({
      kantata,
      slack,
      storeFile,
      env: { PORT: String(slackPort), METRICS_PORT: String(portOf(metricsTaken)) },
    });
    await expect(failed).rejects.toThrow(/EADDRINUSE/);

    // Nothing of the failed start still listens on the Slack port…
    const again = await listen(slackPort);
    again.close();
    await once(again, 'close');
    // …and its store lock is gone: the next start opens the same store at once.
    const next = await startTestBot({ kantata, slack, storeFile });
    cleanups.unshift(() => next.stopBot());
    expect(next.bot.port).toBeGreaterThan(0);
  });
});
