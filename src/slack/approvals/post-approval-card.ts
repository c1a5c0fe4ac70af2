import type { Change } from '../../approvals/types.js';
import type { SlackContext } from '../context.js';

/**
 * Posts the approval card of a pending request to APPROVALS_CHANNEL_ID and remembers where it is
 * (owned by the approvals work; placeholder until it lands).
 */
export async function postApprovalCard(_ctx: SlackContext, _change: Change): Promise<void> {}
