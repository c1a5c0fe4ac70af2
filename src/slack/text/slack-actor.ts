import { escapeMrkdwn } from './escape-mrkdwn.js';

const SLACK_USER_ID = /^[UW][A-Z0-9]{1,30}$/;

/** A Slack user id, as opposed to the bot's own stand-ins in the core (`standing-sync`, `system:…`). */
export function isSlackUserId(value: string): boolean {
  return SLACK_USER_ID.test(value);
}

/**
 * Names who did something, from whatever the core stored: a Slack user id (shown as a mention, which in an
 * ephemeral reply notifies nobody), an `Actor`-like object `{ slackUserId, name }`, or a plain name (escaped).
 */
export function describeActor(value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (isSlackUserId(value)) return `<@${value}>`;
    return value.trim() === '' ? undefined : escapeMrkdwn(value);
  }
  if (typeof value === 'object' && value !== null) {
    const { slackUserId, name } = value as { slackUserId?: unknown; name?: unknown };
    if (typeof slackUserId === 'string' && isSlackUserId(slackUserId)) return `<@${slackUserId}>`;
    if (typeof name === 'string' && name.trim() !== '') return escapeMrkdwn(name);
  }
  return undefined;
}
