import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type BlockAction, LogLevel, verifySlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActionPayload,
  blockSuggestionPayload,
  type FakeSlack,
  sendInteraction,
  sendSignedForm,
  sendSlashCommand,
  signSlackBody,
  startFakeSlack,
  stateValue,
  viewSubmissionPayload,
} from './index.js';

const SECRET = 'test-signing-secret';

describe('signSlackBody', () => {
  it('produces signatures that Bolt verifies, and that fail with another secret or body', () => {
    const body = 'token=x&text=%3C%40U123%3E';
    const headers = signSlackBody(SECRET, body);
    const asBolt = { ...headers, 'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']) };
    expect(() => verifySlackRequest({ signingSecret: SECRET, body, headers: asBolt })).not.toThrow();
    expect(() => verifySlackRequest({ signingSecret: 'other', body, headers: asBolt })).toThrow();
    expect(() =>
      verifySlackRequest({ signingSecret: SECRET, body: `${body}&x=1`, headers: asBolt }),
    ).toThrow();
  });
});

describe('against a real Bolt HTTPReceiver', () => {
  let fake: FakeSlack;
  let app: App;
  let endpoint: string;
  const seen: { commands: string[]; actions: BlockAction[]; submissions: unknown[]; retries: unknown[] } = {
    commands: [],
    actions: [],
    submissions: [],
    retries: [],
  };

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({
      token: fake.botToken,
      botId: fake.botId,
      botUserId: fake.botUserId,
      signingSecret: SECRET,
      processBeforeResponse: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, timeout: 5000 },
    });
    app.command('/groups', async ({ command, ack, respond, client, context }) => {
      await ack();
      seen.commands.push(command.text);
      seen.retries.push(context.retryNum);
      if (command.text === 'modal') {
        await client.views.open({
          trigger_id: command.trigger_id,
          view: {
            type: 'modal',
            callback_id: 'main',
            title: { type: 'plain_text', text: 'Groups' },
            blocks: [],
          },
        });
      } else {
        await respond({
          text: `you said ${command.text}`,
          blocks: [
            {
              type: 'actions',
              block_id: 'b1',
              elements: [
                {
                  type: 'button',
                  action_id: 'apply',
                  value: 'chg_1',
                  text: { type: 'plain_text', text: 'Apply' },
                },
              ],
            },
          ],
        });
      }
    });
    app.action<BlockAction>('apply', async ({ ack, body }) => {
      await ack();
      seen.actions.push(body);
    });
    app.view('main', async ({ ack, view }) => {
      seen.submissions.push(view.state.values);
      await ack({ response_action: 'errors', errors: { people: 'Name someone' } });
    });
    app.options('group', async ({ ack, options }) => {
      await ack({ options: [{ text: { type: 'plain_text', text: `G ${options.value}` }, value: 'g1' }] });
    });
    const server = (await app.start(0)) as Server;
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    await app.stop();
    await fake.close();
  });

  it('delivers a signed slash command that Bolt accepts, and the response reaches the fake', async () => {
    const responseUrl = fake.responseUrl();
    const res = await sendSlashCommand(endpoint, SECRET, {
      text: 'add "Design" <@U1>',
      user_id: 'U1',
      response_url: responseUrl,
      trigger_id: fake.newTriggerId(),
    });
    expect(res.status).toBe(200);
    expect(seen.commands).toContain('add "Design" <@U1>');
    expect(fake.responses.find((r) => r.url === responseUrl)?.body.text).toBe('you said add "Design" <@U1>');
  });

  it('opens a modal from the command trigger within its window', async () => {
    await sendSlashCommand(endpoint, SECRET, {
      text: 'modal',
      user_id: 'U1',
      response_url: fake.responseUrl(),
      trigger_id: fake.newTriggerId(),
    });
    expect(fake.views.byCallbackId('main')).toBeDefined();
  });

  it('is refused with 401 when the signature or the timestamp is wrong', async () => {
    const fields = {
      text: 'x',
      user_id: 'U1',
      response_url: fake.responseUrl(),
      trigger_id: fake.newTriggerId(),
    };
    expect((await sendSlashCommand(endpoint, SECRET, fields, { badSignature: true })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 301;
    expect((await sendSlashCommand(endpoint, SECRET, fields, { timestamp: stale })).status).toBe(401);
  });

  it('passes retry headers through to the context', async () => {
    const fields = {
      text: 'retried',
      user_id: 'U1',
      response_url: fake.responseUrl(),
      trigger_id: fake.newTriggerId(),
    };
    await sendSlashCommand(endpoint, SECRET, fields, { retryNum: 1 });
    expect(seen.retries.at(-1)).toBe(1);
  });

  it('answers 400 to a body that is not a form, signed correctly', async () => {
    const res = await sendSignedForm(endpoint, SECRET, 'payload=%7Bnot-json');
    expect(res.status).toBe(400);
  });

  it('routes a button click built from the message that was sent', async () => {
    const responseUrl = fake.responseUrl();
    await sendSlashCommand(endpoint, SECRET, {
      text: 'preview',
      user_id: 'U1',
      response_url: responseUrl,
      trigger_id: fake.newTriggerId(),
    });
    const sent = fake.responses.find((r) => r.url === responseUrl)?.body;
    const payload = blockActionPayload({
      userId: 'U2',
      actionId: 'apply',
      triggerId: fake.newTriggerId(),
      message: { channel: 'C1', ts: '1.000100', blocks: sent.blocks, ephemeral: true },
      responseUrl,
    });
    expect((await sendInteraction(endpoint, SECRET, payload)).status).toBe(200);
    const action = seen.actions.at(-1);
    expect(action?.actions[0]).toMatchObject({ action_id: 'apply', block_id: 'b1', value: 'chg_1' });
    expect(action?.user.id).toBe('U2');
    expect(action?.message).toBeUndefined();
  });

  it('returns the view_submission ack body (response_action errors) to the caller', async () => {
    const opened = await app.client.views.open({
      trigger_id: fake.newTriggerId(),
      view: { type: 'modal', callback_id: 'main', title: { type: 'plain_text', text: 'Groups' }, blocks: [] },
    });
    const view = fake.viewPayload(opened.view!.id!, { people: { users: stateValue.users(['U3']) } });
    const res = await sendInteraction(
      endpoint,
      SECRET,
      viewSubmissionPayload({ userId: 'U1', triggerId: fake.newTriggerId(), view }),
    );
    expect(res.json).toEqual({ response_action: 'errors', errors: { people: 'Name someone' } });
    expect(seen.submissions.at(-1)).toEqual({
      people: { users: { type: 'multi_users_select', selected_users: ['U3'] } },
    });
  });

  it('answers a block_suggestion with options', async () => {
    const res = await sendInteraction(
      endpoint,
      SECRET,
      blockSuggestionPayload({ userId: 'U1', actionId: 'group', blockId: 'group', value: 'des' }),
    );
    expect(res.json).toEqual({ options: [{ text: { type: 'plain_text', text: 'G des' }, value: 'g1' }] });
  });
});
