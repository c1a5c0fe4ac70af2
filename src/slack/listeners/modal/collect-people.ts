import { emailKey } from '../../../membership/text.js';
import type { PersonRef } from '../../../membership/types.js';
import type { SlackContext } from '../../context.js';

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

/** The modal's people: Slack users picked (reduced to their emails by the directory) and emails typed. */
export async function collectPeople(
  ctx: SlackContext,
  userIds: readonly string[],
  emails: readonly string[],
): Promise<PersonRef[]> {
  const fromSlack =
    userIds.length > 0
      ? await ctx.directory.resolveSlackUserIds(userIds, { emailDomains: ctx.config.identityEmailDomains })
      : [];
  const typed: PersonRef[] = emails.map((email) => ({ kind: 'email', email, label: email }));
  return dedupePeople([...fromSlack, ...typed]);
}
