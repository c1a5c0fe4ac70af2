import { setTimeout as sleep } from 'node:timers/promises';
import {
  blockActionPayload,
  type FakeSlack,
  findElement,
  type RecordedResponse,
  type SignedResponse,
  sendInteraction,
  sendSlashCommand,
  signedFormHeaders,
  slashCommandForm,
} from '../test/fakes/fake-slack/index.js';
import type { PreparedRequest } from './load-generator.js';
import { SIGNING_SECRET } from './world.js';

/**
 * Drives the bot as Slack does: signed `/groups` commands and button clicks over HTTP, and reads what
 * the bot sent back through response_urls (recorded by the fake Slack with their arrival time).
 */
export type SlackDriver = {
  /** The bot's `/slack/events`. */
  endpoint: string;
  /**
   * `/groups <text>` signed as `command` sends it, for a sender in another process (the load generator):
   * the body and headers to send, and the response_url the answer will come to.
   */
  prepareCommand(userId: string, text: string): { responseUrl: string; request: PreparedRequest };
  /** Sends `/groups <text>`; resolves when the bot's HTTP response (the ack) arrives. */
  command(
    userId: string,
    text: string,
    responseUrl?: string,
  ): Promise<{ responseUrl: string; ack: SignedResponse }>;
  /** Clicks a button of an ephemeral message (a preview) that arrived on `responseUrl`. */
  click(
    userId: string,
    actionId: string,
    value: string,
    responseUrl: string,
    blocks: unknown[],
  ): Promise<SignedResponse>;
  responsesTo(responseUrl: string): RecordedResponse[];
  /** Waits until a response on `responseUrl`, after the first `skip`, satisfies `match`. */
  waitForResponse(
    responseUrl: string,
    match: (body: ResponseBody) => boolean,
    opts?: { skip?: number; timeoutMs?: number; what?: string },
  ): Promise<RecordedResponse>;
};

export type ResponseBody = { text?: string; blocks?: unknown[]; replace_original?: boolean } & Record<
  string,
  unknown
>;

const POLL_MS = 2;

export function createSlackDriver(slack: FakeSlack, endpoint: string): SlackDriver {
  // Responses are indexed by URL once, so that polling 500 URLs does not rescan every response each time.
  const byUrl = new Map<string, RecordedResponse[]>();
  let indexed = 0;
  const responsesTo = (url: string) => {
    for (; indexed < slack.responses.length; indexed += 1) {
      const response = slack.responses[indexed]!;
      const list = byUrl.get(response.url) ?? [];
      list.push(response);
      byUrl.set(response.url, list);
    }
    return byUrl.get(url) ?? [];
  };

  const commandFields = (userId: string, text: string, responseUrl: string) => ({
    text,
    user_id: userId,
    response_url: responseUrl,
    trigger_id: slack.newTriggerId(),
    team_id: slack.teamId,
    api_app_id: slack.appId,
  });

  return {
    endpoint,
    prepareCommand(userId, text) {
      const responseUrl = slack.responseUrl();
      const body = slashCommandForm(commandFields(userId, text, responseUrl)).toString();
      return { responseUrl, request: { body, headers: signedFormHeaders(SIGNING_SECRET, body) } };
    },
    async command(userId, text, responseUrl = slack.responseUrl()) {
      const ack = await sendSlashCommand(endpoint, SIGNING_SECRET, commandFields(userId, text, responseUrl));
      return { responseUrl, ack };
    },
    click(userId, actionId, value, responseUrl, blocks) {
      const payload = blockActionPayload({
        userId,
        teamId: slack.teamId,
        actionId,
        value,
        triggerId: slack.newTriggerId(),
        responseUrl,
        message: { channel: 'C0BENCHCHAN', ts: '1700000000.000100', blocks, ephemeral: true },
      });
      return sendInteraction(endpoint, SIGNING_SECRET, payload);
    },
    responsesTo,
    async waitForResponse(url, match, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
      for (;;) {
        const found = responsesTo(url)
          .slice(opts.skip ?? 0)
          .find((r) => r.status === 200 && match(r.body as ResponseBody));
        if (found) return found;
        if (Date.now() > deadline) {
          const seen = responsesTo(url).map((r) => `${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
          throw new Error(`bench: no ${opts.what ?? 'matching response'} arrived; got:\n${seen.join('\n')}`);
        }
        await sleep(POLL_MS);
      }
    },
  };
}

/** The value of the button with this action_id in a message body, if it has one. */
export function buttonValue(body: ResponseBody, actionId: string): string | undefined {
  const value = findElement(body.blocks, actionId)?.element.value;
  return typeof value === 'string' ? value : undefined;
}
