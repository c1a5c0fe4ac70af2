import { failFor, shownToken } from './parse-error.js';
import { classifyPerson } from './people.js';
import type { Token } from './tokenize.js';
import type { ParseResult } from './types.js';

const USER_EXPECTED = 'a Slack user, mentioned with @ (like @ann)';

/** `link <@slack-user> <kantata email | id:NNN>` */
export function parseLink(args: Token[]): ParseResult {
  const [userToken, targetToken, ...extra] = args;
  if (!userToken) {
    return failFor(
      'link',
      'missing_argument',
      `Whom should I link? Name ${USER_EXPECTED}, then their Kantata email or id.`,
    );
  }
  const user = classifyPerson(userToken);
  if (user.kind !== 'slack_user') {
    return failFor('link', 'invalid_argument', `${shownToken(userToken)} is not ${USER_EXPECTED}.`);
  }
  if (!targetToken) {
    return failFor(
      'link',
      'missing_argument',
      'To which Kantata user? Add their Kantata email address or `id:NNN`.',
    );
  }
  if (extra.length > 0) {
    return failFor('link', 'invalid_argument', 'Link one Slack user to one Kantata user at a time.');
  }
  const target = classifyPerson(targetToken);
  if (target.kind === 'email')
    return { ok: true, command: { kind: 'link', slackUserId: user.userId, target } };
  if (target.kind === 'kantata_id')
    return { ok: true, command: { kind: 'link', slackUserId: user.userId, target } };
  return failFor(
    'link',
    'invalid_argument',
    `${shownToken(targetToken)} is not a Kantata email address or id; write an email, or \`id:\` and digits.`,
  );
}

/** `unlink <@slack-user>` */
export function parseUnlink(args: Token[]): ParseResult {
  const [userToken, ...extra] = args;
  if (!userToken)
    return failFor('unlink', 'missing_argument', `Whom should I unlink? Name ${USER_EXPECTED}.`);
  const user = classifyPerson(userToken);
  if (user.kind !== 'slack_user') {
    return failFor('unlink', 'invalid_argument', `${shownToken(userToken)} is not ${USER_EXPECTED}.`);
  }
  if (extra.length > 0) return failFor('unlink', 'invalid_argument', 'Unlink one Slack user at a time.');
  return { ok: true, command: { kind: 'unlink', slackUserId: user.userId } };
}
