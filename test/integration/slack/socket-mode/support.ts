import {
  blockSuggestionPayload,
  type FakeSlack,
  slashCommandForm,
  startFakeSlack,
  viewSubmissionPayload,
} from '../../../fakes/fake-slack/index.js';
import type { AckResult, FakeSocketModeOptions } from '../../../fakes/fake-socket-mode/fake-socket-mode.js';
import { startTestBot, type TestBot, type TestBotOptions } from '../../harness.js';

export type SocketBot = TestBot & { socket: NonNullable<FakeSlack['socketMode']> };

/** The real bot in Socket Mode (SLACK_APP_TOKEN set) against the fake Slack's Socket Mode server. */
export async function startSocketModeBot(
  opts: TestBotOptions & { socketMode?: FakeSocketModeOptions } = {},
): Promise<SocketBot> {
  const slack = opts.slack ?? (await startFakeSlack({ socketMode: opts.socketMode ?? true }));
  const socket = slack.socketMode;
  if (!socket) throw new Error('the fake Slack was started without socketMode');
  const h = await startTestBot({
    ...opts,
    slack,
    env: { SLACK_APP_TOKEN: socket.appToken, ...opts.env },
    bot: { socketPingIntervalMs: 200, ...opts.bot },
  });
  const stop = h.stop;
  return Object.assign(h, {
    socket,
    async stop() {
      await stop();
      if (!opts.slack) await slack.close();
    },
  });
}

/** `/groups <text>` as a Socket Mode envelope; resolves with the ack. */
export function socketCommand(
  h: SocketBot,
  userId: string,
  text: string,
  opts: { responseUrl?: string; triggerId?: string } = {},
): Promise<AckResult> & { responseUrl: string } {
  const responseUrl = opts.responseUrl ?? h.slack.responseUrl();
  const fields = slashCommandForm({
    text,
    user_id: userId,
    response_url: responseUrl,
    trigger_id: opts.triggerId ?? h.slack.newTriggerId(),
  });
  return Object.assign(h.socket.command(Object.fromEntries(fields)), { responseUrl });
}

export function socketOptions(
  h: SocketBot,
  userId: string,
  actionId: string,
  blockId: string,
  value: string,
) {
  return h.socket.interactive(
    blockSuggestionPayload({ userId, actionId, blockId, value }) as unknown as Record<string, unknown>,
  );
}

export function socketSubmit(h: SocketBot, userId: string, viewId: string, values = {}) {
  const view = h.slack.viewPayload(viewId, values);
  return h.socket.interactive(
    viewSubmissionPayload({ userId, triggerId: h.slack.newTriggerId(viewId), view }) as unknown as Record<
      string,
      unknown
    >,
  );
}
