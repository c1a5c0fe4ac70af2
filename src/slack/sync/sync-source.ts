import type { SyncSource } from '../../approvals/types.js';
import type { PersonRef } from '../../membership/types.js';
import type { SyncSourceToken } from '../grammar/types.js';
import { expandSource } from '../people/resolve-person-tokens.js';
import type { ResolvePeopleOptions, SlackDirectory } from '../people/slack-directory.js';
import { SlackPeopleError } from '../people/slack-people-error.js';

/** The stored form of a source: `usergroup:S123` / `channel:C123`, and what people are shown. */
export function syncSourceOf(token: SyncSourceToken): SyncSource {
  if (token.kind === 'channel') {
    const name = token.label
      ? token.label.startsWith('#')
        ? token.label
        : `#${token.label}`
      : token.channelId;
    return { key: `channel:${token.channelId}`, label: name };
  }
  const handle = token.label
    ? token.label.startsWith('@')
      ? token.label
      : `@${token.label}`
    : token.usergroupId;
  return { key: `usergroup:${token.usergroupId}`, label: handle };
}

/** The token again from a stored source (a standing sync reads it every interval); undefined if not Slack's. */
export function tokenOfSource(source: SyncSource): SyncSourceToken | undefined {
  const [kind, id] = source.key.split(':');
  if (!id) return undefined;
  if (kind === 'channel') return { kind: 'channel', channelId: id, label: source.label };
  if (kind === 'usergroup') return { kind: 'slack_usergroup', usergroupId: id, label: source.label };
  return undefined;
}

/**
 * Everyone in a sync's source, as the core's refs (bots, guests and the like among them as unresolved, with
 * their reason). A source that cannot be read or is empty is refused, never planned: planned, it would
 * remove every member of the group. Throws `usergroup_not_found`, `channel_not_visible`, `source_empty` or
 * `slack_unavailable`.
 */
export async function readSyncSource(
  directory: SlackDirectory,
  token: SyncSourceToken,
  opts: ResolvePeopleOptions,
): Promise<PersonRef[]> {
  const ids = await expandSource(directory, token);
  if (ids.length === 0) {
    throw new SlackPeopleError(
      'source_empty',
      `The sync source ${syncSourceOf(token).label} has no members.`,
    );
  }
  return directory.resolveSlackUserIds(ids, opts);
}
