import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import type { GroupsCommandKind } from './types.js';

/** The sub-commands a user can type, in the order help shows them. */
export const SUBCOMMANDS = [
  'help',
  'list',
  'members',
  'add',
  'remove',
  'sync',
  'syncs',
  'unsync',
  'expiring',
  'owners',
  'requests',
  'history',
  'whoami',
  'link',
  'unlink',
] as const satisfies readonly GroupsCommandKind[];

export type Subcommand = (typeof SUBCOMMANDS)[number];

// Plain text; `<` and `>` are escaped when turned into mrkdwn, or Slack would read `<group>` as a link.
const FORMS: Record<GroupsCommandKind, { form: string; what: string }> = {
  open_modal: { form: '/groups', what: 'open the dialog: add or remove people, or see who is in a group' },
  help: { form: '/groups help', what: 'this help' },
  list: { form: '/groups list [search words]', what: 'Kantata workspace groups, optionally filtered' },
  members: { form: '/groups members <group>', what: 'who is in a group' },
  add: {
    form: '/groups add <group> <people…> [--for <duration> | --until <YYYY-MM-DD>] [--reason <text>]',
    what: 'add people to a group (previewed first), for good or for a time',
  },
  remove: {
    form: '/groups remove <group> <people…> [--reason <text>]',
    what: 'remove people from a group (previewed first)',
  },
  sync: {
    form: '/groups sync <group> from <@user-group | #channel> [--add-only] [--keep] [--reason <text>]',
    what: 'make a group’s members those of a Slack user group or channel (previewed first); `--keep` keeps it so (administrators)',
  },
  syncs: { form: '/groups syncs', what: 'standing syncs, their last run and the next' },
  unsync: { form: '/groups unsync <group>', what: 'stop a group’s standing sync (administrators)' },
  owners: {
    form: '/groups owners <group> [add|remove <people…>]',
    what: 'who owns a group (they approve its requests); changing them: administrators',
  },
  requests: {
    form: '/groups requests',
    what: 'pending requests: yours, and those you may decide (administrators and owners)',
  },
  history: { form: '/groups history [<group>]', what: 'recent changes, newest first' },
  expiring: {
    form: '/groups expiring [<group>]',
    what: 'temporary memberships, soonest end first',
  },
  whoami: { form: '/groups whoami', what: 'your Kantata user, and whether you are an administrator' },
  link: {
    form: '/groups link <@slack-user> <kantata email | id:NNN>',
    what: 'link a Slack user to a Kantata user (administrators)',
  },
  unlink: { form: '/groups unlink <@slack-user>', what: 'remove such a link (administrators)' },
};

/** The right form of one sub-command, as an mrkdwn code span. */
export function usageFor(kind: GroupsCommandKind): string {
  return code(FORMS[kind].form);
}

/** Every form, one a line: the usage shown when it is not clear which sub-command was meant. */
export function usageSummary(): string {
  return (['open_modal', ...SUBCOMMANDS] as const).map((kind) => usageFor(kind)).join('\n');
}

/** The full help (mrkdwn), with examples. */
export function helpText(): string {
  const lines = (['open_modal', ...SUBCOMMANDS] as const).map(
    (kind) => `${usageFor(kind)}  ${FORMS[kind].what}`,
  );
  return [
    '*Kantata groups from Slack*',
    ...lines,
    '',
    '*Groups*: a name (in quotes when it has spaces: `"Design Team"`) or a Kantata id: `id:123`.',
    '*People*: Slack mentions (@ann), Slack user groups (@design-leads: all their members), channels ' +
      '(#proj-apollo: all their members), email addresses, or Kantata ids (`id:456`), separated by spaces, ' +
      'commas or new lines.',
    '',
    '*Examples*',
    ...EXAMPLES.map((example) => `• ${code(example)}`),
    '',
    'Nothing changes at once: `add` and `remove` first show a preview. Administrators apply it; anyone else ' +
      'sends it to an administrator for approval.',
  ].join('\n');
}

const EXAMPLES = [
  '/groups list design',
  '/groups members "Design Team"',
  '/groups add "Design Team" @ann @bob carol@example.com --reason New starters',
  '/groups add Design @dan --for 30d --reason Project Atlas',
  '/groups add Design @design-leads',
  '/groups remove id:42 id:456, dave@example.com --reason Left the project',
  '/groups sync Design from @design-team',
  '/groups add Apollo #proj-apollo',
  '/groups owners Design add @ann @design-leads',
  '/groups history "Design Team"',
  '/groups link @erin erin.smith@example.com',
];

function code(text: string): string {
  return `\`${escapeMrkdwn(text)}\``;
}
