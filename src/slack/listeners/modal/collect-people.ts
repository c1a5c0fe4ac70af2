import { emailKey } from '../../../membership/text.js';
import type { PersonRef } from '../../../membership/types.js';
import type { SlackContext } from '../../context.js';
import type { PersonToken } from '../../grammar/types.js';

function keyOf(ref: PersonRef): string {
  switch (ref.kind) {
    case 'email':
      return `email:${emailKey(ref.email)}`;
    case 'kantata_id':
      return `id:${ref.id}`;
    case 'unresolvable':
      return `unresolvable:${ref.label}`;
  }
}

/** The same person picked twice (or picked and typed as an email) counts once. */
export function dedupePeople(refs: readonly PersonRef[]): PersonRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = keyOf(ref);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The modal's people: Slack users and channels picked (reduced to emails by the directory, a channel to its
 * members) and emails typed.
 */
export async function collectPeople(
  ctx: SlackContext,
  userIds: readonly string[],
  emails: readonly string[],
  channelIds: readonly string[] = [],
): Promise<PersonRef[]> {
  const tokens: PersonToken[] = [
    ...userIds.map((userId): PersonToken => ({ kind: 'slack_user', userId })),
    ...channelIds.map((channelId): PersonToken => ({ kind: 'channel', channelId })),
  ];
  const fromSlack =
    tokens.length > 0
      ? await ctx.directory.resolvePersonTokens(tokens, { emailDomains: ctx.config.identityEmailDomains })
      : [];
  const typed: PersonRef[] = emails.map((email) => ({ kind: 'email', email, label: email }));
  return dedupePeople([...fromSlack, ...typed]);
}
