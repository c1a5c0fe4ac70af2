import { describe, expect, it } from 'vitest';
import { allowedActions, canDecide } from '../../../src/approvals/policy.js';

const member = { actor: { slackUserId: 'U1' }, isAdmin: false, isGuest: false };
const guest = { ...member, isGuest: true };

describe('what owners may do (SPEC §4.8, OWNERS_MAY)', () => {
  it('approve: owners decide requests, and request their own changes', () => {
    expect(canDecide(member, 'approve')).toBe(true);
    expect(allowedActions('admins-direct', member, 'approve')).toEqual({ canApply: false, canRequest: true });
  });

  it('apply: owners apply their own changes to their groups as administrators would, never under four-eyes', () => {
    expect(allowedActions('admins-direct', member, 'apply')).toEqual({ canApply: true, canRequest: false });
    expect(allowedActions('admins-only', member, 'apply')).toEqual({ canApply: true, canRequest: false });
    expect(allowedActions('four-eyes', member, 'apply')).toEqual({ canApply: false, canRequest: true });
  });

  it('not an owner (or owners off): members neither decide nor apply; guests never', () => {
    expect(canDecide(member, null)).toBe(false);
    expect(allowedActions('admins-direct', member, null)).toEqual({ canApply: false, canRequest: true });
    expect(canDecide(guest, 'apply')).toBe(false);
    expect(allowedActions('admins-direct', guest, 'apply')).toEqual({ canApply: false, canRequest: false });
  });
});
