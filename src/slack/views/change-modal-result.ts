import type { types } from '@slack/bolt';
import type { Change } from '../../approvals/types.js';
import type { ApplyReport } from '../../membership/types.js';
import { VIEW } from '../ids.js';
import { slackDate } from '../text/slack-date.js';
import { header, section } from './blocks.js';
import { contextLine, plainText } from './change-modal-lists.js';
import { changeModalStatus } from './change-modal-status.js';
import { groupName, people, reasonText, toOrFrom } from './change-wording.js';
import { countOutcomes, headline, outcomeBlocks } from './result-message.js';
import { unresolvedSections } from './unresolved-section.js';

const TITLES: Partial<Record<Change['status'], string>> = {
  applied: 'Change applied',
  partially_applied: 'Partly applied',
  failed: 'Change failed',
};

/** The per-person result of an applied change (SPEC §4.1: the modal ends with the result), as in the message. */
export function changeModalResult(props: {
  change: Pick<Change, 'id' | 'status' | 'action' | 'group' | 'reason'>;
  report: ApplyReport;
  notifyChannelId?: string;
}): types.ModalView {
  const { change, report } = props;
  const announced =
    props.notifyChannelId && countOutcomes(report.outcomes).changed > 0
      ? [contextLine(`The change is announced in <#${props.notifyChannelId}>. Change \`${change.id}\`.`)]
      : [contextLine(`Change \`${change.id}\`.`)];
  return {
    type: 'modal',
    callback_id: VIEW.changeModalStatus,
    title: plainText(TITLES[change.status] ?? 'Change applied'),
    close: plainText('Close'),
    blocks: [
      header(headline({ change, report })),
      ...outcomeBlocks(report),
      ...unresolvedSections(report.unresolved, 1800),
      ...(change.reason ? [section(`*Reason:* ${reasonText(change.reason)}`)] : []),
      ...announced,
    ],
  };
}

/** A preview that became a pending request (SPEC §4.3). */
export function changeModalRequested(props: {
  change: Pick<Change, 'action' | 'group' | 'plan' | 'expiresAt'>;
  approvalsChannelId?: string;
  /** The card could not be posted: the request is stored, but approvers may not see it yet. */
  cardProblem?: string;
}): types.ModalView {
  const { change } = props;
  const verb = change.action;
  const who = `*${people(change.plan.toChange.length + (change.plan.toRemove?.length ?? 0))}*`;
  const where = props.approvalsChannelId ? ` in <#${props.approvalsChannelId}>` : '';
  const expires = slackDate(change.expiresAt);
  return changeModalStatus({
    title: 'Request sent',
    text:
      `:incoming_envelope: Your request to ${verb} ${who} ${toOrFrom(change.action)} ${groupName(change.group)} ` +
      `is waiting for an administrator${where}. You will get a direct message when it is approved or denied.` +
      (props.cardProblem ? `\n\n:warning: ${props.cardProblem}` : ''),
    ...(expires ? { footnote: `It expires ${expires} if nobody decides.` } : {}),
  });
}
