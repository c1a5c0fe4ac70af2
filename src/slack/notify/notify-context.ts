import type { WebClient } from '@slack/web-api';
import { webApi } from '../bolt-runtime.js';
import type { SlackContext } from '../context.js';
import { createPacerFor, webClientOptions } from '../web-api/web-clients.js';

/**
 * What posting a notification needs: the Slack context and a Web API client (a listener's `client`, or the
 * app's own that SlackContext carries). Contexts without one (unit tests of views and jobs) get a client
 * built from the same configuration as the app's.
 */
export type NotifyContext = Pick<SlackContext, 'config' | 'logger' | 'clock' | 'store'> & {
  client?: WebClient;
  work?: SlackContext['work'];
};

const built = new WeakMap<object, WebClient>();

export function slackClientOf(ctx: NotifyContext): WebClient {
  if (ctx.client) return ctx.client;
  let client = built.get(ctx.config);
  if (!client) {
    client = new webApi.WebClient(
      ctx.config.slack.botToken,
      webClientOptions(ctx.config, createPacerFor(ctx.config, ctx.logger)),
    );
    built.set(ctx.config, client);
  }
  return client;
}
