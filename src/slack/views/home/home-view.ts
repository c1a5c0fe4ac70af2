import type { types } from '@slack/bolt';
import type { StandingSync } from '../../../approvals/standing-sync/types.js';
import type { AuditEntry } from '../../../approvals/types.js';
import { formatDuration } from '../../../config/duration.js';
import { ACTION } from '../../ids.js';
import { escapeMrkdwn } from '../../text/escape-mrkdwn.js';
import { truncateText } from '../../text/truncate-text.js';
import { actions, type Block, button, context, divider, header, section } from '../blocks.js';
import { historyLine } from '../history-list.js';
import { standingSyncLine } from '../standing-sync-messages.js';
import {
  decidableItem,
  type HomeEnd,
  type HomeList,
  type HomeRequest,
  membershipItem,
  myRequestItem,
} from './home-items.js';

/** Slack refuses a Home view of more than 100 blocks (reference slack-platform.md §3). */
export const HOME_MAX_BLOCKS = 100;
/** How many of each list the Home shows; the rest are behind "More". Together they stay under 100 blocks. */
export const HOME_SHOWN: Record<HomeList, number> = { mine: 10, memberships: 10, decidable: 15 };
export const HOME_RECENT = 10;
/** Standing syncs shown; `/groups syncs` lists them all. */
export const HOME_SYNCS = 5;

export type HomeIdentity =
  | { linked: true; name: string; email: string; isAdmin: boolean; ownedGroups: number }
  | { linked: false; message: string };

export type HomeProps = {
  identity: HomeIdentity;
  /** Your pending requests, oldest first. */
  mine: readonly HomeRequest[];
  /** Your temporary memberships, soonest end first. */
  memberships: readonly HomeEnd[];
  /** Administrators and owners: the requests they may decide; null for everyone else. */
  decidable: readonly HomeRequest[] | null;
  /** Administrators and owners: the newest changes to their groups; null for everyone else. */
  recent: readonly AuditEntry[] | null;
  /** Administrators and owners: the standing syncs of their groups, and SYNC_INTERVAL; absent for others. */
  syncs?: { list: readonly StandingSync[]; intervalMs: number };
  /** Views read no clock: the moment the Home is drawn, for ages. */
  now: Date;
};

/**
 * The Home tab (SPEC §4.8): who you are in Kantata, your pending requests (Withdraw), your temporary
 * memberships (Extend) and "Open /groups"; administrators and owners also the requests they may decide
 * (Approve / Deny as on cards), recent changes to their groups and their standing syncs. Each list shows its first few, the
 * rest behind "More", so the view stays within Slack's 100 blocks however long the lists grow.
 */
export function homeView(props: HomeProps): types.HomeView {
  const blocks: Block[] = [header('Kantata groups'), section(identityText(props.identity))];
  blocks.push(
    actions([
      button({ text: 'Open /groups', actionId: ACTION.homeOpenModal, value: 'open', style: 'primary' }),
    ]),
  );
  if (props.identity.linked) {
    blocks.push(
      ...list(
        'mine',
        'Your pending requests',
        props.mine,
        (r) => myRequestItem(r, props.now),
        'You have no pending requests.',
      ),
      ...list(
        'memberships',
        'Your temporary memberships',
        props.memberships,
        membershipItem,
        'You have no temporary memberships.',
      ),
    );
    if (props.decidable) {
      blocks.push(
        ...list(
          'decidable',
          'Requests you may decide',
          props.decidable,
          (r) => decidableItem(r, props.now),
          'Nothing is waiting for your decision.',
        ),
      );
    }
    if (props.recent) blocks.push(...recentBlocks(props.recent, props.identity));
    if (props.syncs && props.syncs.list.length > 0) blocks.push(...syncBlocks(props.syncs));
  }
  return { type: 'home', blocks: blocks.slice(0, HOME_MAX_BLOCKS) };
}

function identityText(identity: HomeIdentity): string {
  if (!identity.linked) return `You are not linked to a Kantata user. ${identity.message}`;
  const role = identity.isAdmin
    ? 'a Kantata *account administrator*'
    : identity.ownedGroups > 0
      ? `an *owner* of ${identity.ownedGroups} ${identity.ownedGroups === 1 ? 'group' : 'groups'}`
      : 'a member of this workspace (you request changes; an administrator approves them)';
  return `You are *${name(identity.name)}* in Kantata (${escapeMrkdwn(truncateText(identity.email, 120))}), ${role}.`;
}

function list<T>(
  key: HomeList,
  title: string,
  items: readonly T[],
  render: (item: T) => Block[],
  none: string,
): Block[] {
  const shown = HOME_SHOWN[key];
  const blocks: Block[] = [divider(), section(`*${title}* (${items.length})`)];
  if (items.length === 0) return [...blocks, context(none)];
  for (const item of items.slice(0, shown)) blocks.push(...render(item));
  if (items.length > shown) {
    blocks.push(
      actions([button({ text: `More (${items.length - shown})`, actionId: ACTION.homeMore, value: key })]),
    );
  }
  return blocks;
}

function recentBlocks(
  entries: readonly AuditEntry[],
  identity: Extract<HomeIdentity, { linked: true }>,
): Block[] {
  const whose = identity.isAdmin ? 'Recent changes' : 'Recent changes to your groups';
  const blocks: Block[] = [divider(), section(`*${whose}*`)];
  if (entries.length === 0) return [...blocks, context('Nothing has been recorded yet.')];
  for (const entry of entries.slice(0, HOME_RECENT)) blocks.push(section(historyLine(entry)));
  blocks.push(context('`/groups history [<group>]` shows more.'));
  return blocks;
}

function syncBlocks(syncs: NonNullable<HomeProps['syncs']>): Block[] {
  const every = formatDuration(syncs.intervalMs);
  const blocks: Block[] = [divider(), section(`*Standing syncs* (${syncs.list.length})`)];
  for (const sync of syncs.list.slice(0, HOME_SYNCS)) blocks.push(section(standingSyncLine(sync, every)));
  blocks.push(context('`/groups syncs` lists them all.'));
  return blocks;
}

function name(text: string): string {
  return escapeMrkdwn(truncateText(text.trim() || 'you', 100));
}

/** Items per "More" modal: two blocks each, inside a modal's 100. */
export const MORE_SHOWN = 45;

export type HomeMoreProps = {
  list: HomeList;
  mine?: readonly HomeRequest[];
  memberships?: readonly HomeEnd[];
  decidable?: readonly HomeRequest[];
  now: Date;
};

const MORE_TITLES: Record<HomeList, string> = {
  mine: 'Your requests',
  memberships: 'Your memberships',
  decidable: 'To decide',
};

/** "More" on the Home tab: the rest of one list (after what the Home shows), with the same buttons. */
export function homeMoreModal(props: HomeMoreProps): types.ModalView {
  const start = HOME_SHOWN[props.list];
  const blocks: Block[] = [];
  const add = <T>(items: readonly T[] | undefined, render: (item: T) => Block[]) => {
    const rest = (items ?? []).slice(start);
    for (const item of rest.slice(0, MORE_SHOWN)) blocks.push(...render(item));
    if (rest.length === 0) blocks.push(section('Nothing more: the Home tab shows everything.'));
    if (rest.length > MORE_SHOWN) {
      blocks.push(
        context(
          `…and ${rest.length - MORE_SHOWN} more. \`/groups requests\` and \`/groups expiring\` list them all.`,
        ),
      );
    }
  };
  if (props.list === 'mine') add(props.mine, (r) => myRequestItem(r, props.now));
  if (props.list === 'memberships') add(props.memberships, membershipItem);
  if (props.list === 'decidable') add(props.decidable, (r) => decidableItem(r, props.now));
  return {
    type: 'modal',
    title: { type: 'plain_text', text: MORE_TITLES[props.list] },
    close: { type: 'plain_text', text: 'Close' },
    blocks: blocks.slice(0, HOME_MAX_BLOCKS),
  };
}

/** The "More" modal while it loads, or what went wrong. */
export function homeNoticeModal(text: string): types.ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Kantata groups' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(text)],
  };
}
