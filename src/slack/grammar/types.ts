/** The `/groups` command as data (SPEC §3). Produced by `parseGroupsCommand`; no Slack API calls involved. */
import type { TermToken } from './parse-term.js';

/** One person as written in the command, before anything is looked up. */
export type PersonToken =
  /** `<@U123>` or `<@U123|name>`; W-prefixed ids are Enterprise Grid users. */
  | { kind: 'slack_user'; userId: string; label?: string }
  /** `<!subteam^S123>` or `<!subteam^S123|@team>`: expanded to its members later. */
  | { kind: 'slack_usergroup'; usergroupId: string; label?: string }
  /** Bare or `<mailto:a@b.c|a@b.c>`, lower-cased. */
  | { kind: 'email'; email: string }
  /** `id:NNN`. */
  | { kind: 'kantata_id'; id: string }
  /** `<#C123|name>`: the channel's members (conversations.members). */
  | { kind: 'channel'; channelId: string; label?: string }
  /** Anything else, kept verbatim (unescaped) so the reply can say what was not understood. */
  | { kind: 'invalid'; text: string };

/** What a sync reads its people from: a user-group or channel mention (the modal adds files). */
export type SyncSourceToken = Extract<PersonToken, { kind: 'slack_usergroup' | 'channel' }>;

/** Who can own a group: a Slack user or a Slack user group (SPEC §4.8). */
export type OwnerToken = Extract<PersonToken, { kind: 'slack_user' | 'slack_usergroup' }>;

export type GroupRef = { kind: 'name'; name: string } | { kind: 'id'; id: string };

export type GroupsCommand =
  | { kind: 'open_modal' }
  | { kind: 'help' }
  | { kind: 'list'; search?: string }
  | { kind: 'members'; group: GroupRef }
  | { kind: 'add' | 'remove'; group: GroupRef; people: PersonToken[]; reason?: string; term?: TermToken }
  | {
      kind: 'sync';
      group: GroupRef;
      source: SyncSourceToken;
      addOnly: boolean;
      keep: boolean;
      reason?: string;
    }
  | { kind: 'syncs' }
  | { kind: 'unsync'; group: GroupRef }
  | { kind: 'expiring'; group?: GroupRef }
  | {
      kind: 'owners';
      group: GroupRef;
      /** Absent: show the owners. */
      change?: { action: 'add' | 'remove'; owners: OwnerToken[] };
    }
  | { kind: 'requests' }
  | { kind: 'history'; group?: GroupRef }
  | { kind: 'whoami' }
  | {
      kind: 'link';
      slackUserId: string;
      target: { kind: 'email'; email: string } | { kind: 'kantata_id'; id: string };
    }
  | { kind: 'unlink'; slackUserId: string };

export type GroupsCommandKind = GroupsCommand['kind'];

export type ParseErrorCode =
  | 'unknown_subcommand'
  | 'missing_argument'
  | 'unbalanced_quotes'
  | 'too_long'
  | 'invalid_argument'
  | 'too_many_people';

/** `message` is mrkdwn, safe to post (user text in it is escaped); `usage` is the right form, as mrkdwn. */
export type ParseError = { code: ParseErrorCode; message: string; usage: string };

export type ParseResult = { ok: true; command: GroupsCommand } | { ok: false; error: ParseError };

export type ParseOptions = {
  /** Most distinct people one `add`/`remove` may name (`MAX_PEOPLE_PER_CHANGE`). Default 1000. */
  maxPeople?: number;
  /** Longest `--for` (`MAX_MEMBERSHIP_DURATION`). Default 365 days. */
  maxMembershipMs?: number;
};
