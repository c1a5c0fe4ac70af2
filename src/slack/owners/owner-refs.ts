import type { OwnerRef } from '../../approvals/owners/types.js';
import type { OwnerToken } from '../grammar/types.js';

/** A Slack user or user group as named in `/groups owners`, as the core stores it. */
export function ownerRefOf(token: OwnerToken): OwnerRef {
  return token.kind === 'slack_user'
    ? { kind: 'person', id: token.userId, ...(token.label ? { label: token.label } : {}) }
    : { kind: 'people_group', id: token.usergroupId, ...(token.label ? { label: token.label } : {}) };
}

/** An owner as Slack shows it: a mention of the user or the user group (ephemeral replies ping nobody). */
export function ownerMention(owner: Pick<OwnerRef, 'kind' | 'id'>): string {
  return owner.kind === 'person' ? `<@${owner.id}>` : `<!subteam^${owner.id}>`;
}
