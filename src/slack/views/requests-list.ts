import type { Change } from '../../approvals/types.js';
import { formatCount } from '../text/format-count.js';
import { describeActor } from '../text/slack-actor.js';
import { type Block, context, header, plainFallback, type SlackMessage, section } from './blocks.js';
import { changePhrase, groupName, reasonText } from './change-wording.js';
import { formatAge } from './requests-age.js';

/** One section per request; the rest are counted ("…and N more"), well inside 50 blocks. */
export const REQUESTS_SHOWN = 20;

export type RequestsListProps = {
  requests: readonly Pick<
    Change,
    'id' | 'action' | 'group' | 'plan' | 'requestedBy' | 'reason' | 'createdAt' | 'expiresAt'
  >[];
  /** `mine`: the caller's own requests; `all`: every pending request (administrators). */
  scope: 'mine' | 'all';
  /** An owner's: the requests for their groups they may decide, listed before their own. */
  decidable?: RequestsListProps['requests'];
  /** The moment of the command, for ages ("2 hours ago") and expiry ("in 6 days"); views read no clock. */
  now: Date;
  approvalsChannelId: string;
};

/** `/groups requests`: pending requests with their age and expiry, oldest first. */
export function requestsListMessage(props: RequestsListProps): SlackMessage {
  if (props.decidable && props.decidable.length > 0) return ownerRequestsMessage(props, props.decidable);
  const { requests, scope } = props;
  const whose = scope === 'mine' ? 'Your pending requests' : 'Pending requests';
  if (requests.length === 0) {
    const none = scope === 'mine' ? 'You have no pending requests.' : 'There are no pending requests.';
    return { text: none, blocks: [section(none)] };
  }
  const blocks: Block[] = [header(`${whose} (${formatCount(requests.length)})`)];
  for (const request of requests.slice(0, REQUESTS_SHOWN)) blocks.push(section(requestLine(request, props)));
  if (requests.length > REQUESTS_SHOWN) {
    blocks.push(context(`…and ${formatCount(requests.length - REQUESTS_SHOWN)} more, not shown.`));
  }
  blocks.push(
    context(
      scope === 'all'
        ? `Approve or deny them on their cards in <#${props.approvalsChannelId}>.`
        : `Administrators decide in <#${props.approvalsChannelId}>; you can withdraw a request on its card.`,
    ),
  );
  return { text: plainFallback(`${whose}: ${formatCount(requests.length)}`), blocks };
}

/** An owner's `/groups requests`: what they may decide (with who asked), then their own. */
function ownerRequestsMessage(
  props: RequestsListProps,
  decidable: NonNullable<RequestsListProps['decidable']>,
): SlackMessage {
  const blocks: Block[] = [header(`Requests you may decide (${formatCount(decidable.length)})`)];
  const shown = decidable.slice(0, REQUESTS_SHOWN);
  for (const request of shown) blocks.push(section(requestLine(request, { ...props, scope: 'all' })));
  if (decidable.length > shown.length) {
    blocks.push(context(`…and ${formatCount(decidable.length - shown.length)} more, not shown.`));
  }
  blocks.push(
    context(
      `You own these groups: approve or deny on the cards in <#${props.approvalsChannelId}>, in your direct messages or on the Home tab.`,
    ),
  );
  const mine = props.requests.slice(0, REQUESTS_SHOWN);
  blocks.push(
    section(
      mine.length === 0
        ? '*Your pending requests:* none.'
        : `*Your pending requests (${formatCount(props.requests.length)})*`,
    ),
  );
  for (const request of mine) blocks.push(section(requestLine(request, { ...props, scope: 'mine' })));
  return {
    text: plainFallback(`Requests you may decide: ${formatCount(decidable.length)}`),
    blocks,
  };
}

function requestLine(request: RequestsListProps['requests'][number], props: RequestsListProps): string {
  const now = props.now.getTime();
  const what = `*${changePhrase(request, groupName(request.group), 'mrkdwn')}*`;
  const who = props.scope === 'all' ? ` by ${describeActor(request.requestedBy) ?? 'someone'}` : '';
  const age = `requested ${formatAge(now - Date.parse(request.createdAt))} ago`;
  const expiresIn = request.expiresAt ? Date.parse(request.expiresAt) - now : undefined;
  const expiry =
    expiresIn === undefined ? '' : expiresIn > 0 ? `expires in ${formatAge(expiresIn)}` : 'expiring now';
  const reason = request.reason ? `\n_${reasonText(request.reason)}_` : '';
  return `• ${what}${who}\n${[age, expiry, `change \`${request.id}\``].filter(Boolean).join(' · ')}${reason}`;
}
