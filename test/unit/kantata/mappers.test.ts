import { describe, expect, it } from 'vitest';
import { toIncludedUser, toKantataUser, toMembership } from '../../../src/kantata/mappers.js';
import type { AccountMembershipRecord } from '../../../src/kantata/schemas.js';

const ann = { id: '7', full_name: 'Ann Lee', email_address: 'ann@example.com', account_membership_id: '70' };

function memberships(...records: AccountMembershipRecord[]) {
  return new Map(records.map((r) => [r.id, r]));
}

describe('Kantata → domain mapping', () => {
  it('an active administrator (is_administrator)', () => {
    const user = toKantataUser(
      ann,
      memberships({ id: '70', is_administrator: true, permission: 'collaborator' }),
    );
    expect(user).toEqual({
      id: '7',
      name: 'Ann Lee',
      email: 'ann@example.com',
      disabled: false,
      isAdministrator: true,
    });
  });

  it('an administrator by permission only', () => {
    const user = toKantataUser(
      ann,
      memberships({ id: '70', is_administrator: false, permission: 'administrator' }),
    );
    expect(user.isAdministrator).toBe(true);
  });

  it('a disabled account membership', () => {
    const user = toKantataUser(
      ann,
      memberships({
        id: '70',
        is_administrator: true,
        permission: 'administrator',
        disabled_at: '2026-01-01T00:00:00Z',
      }),
    );
    expect(user.disabled).toBe(true);
  });

  it('no account membership at all counts as disabled and not an administrator', () => {
    expect(toKantataUser(ann, memberships())).toMatchObject({ disabled: true, isAdministrator: false });
    expect(toKantataUser({ ...ann, account_membership_id: undefined }, memberships())).toMatchObject({
      disabled: true,
    });
  });

  it('falls back to the email when there is no name', () => {
    expect(toIncludedUser({ id: '7', full_name: ' ', email_address: 'ann@example.com' }).name).toBe(
      'ann@example.com',
    );
  });

  it('a membership with its included user (no account membership: not disabled, not admin)', () => {
    const users = new Map([['7', ann]]);
    expect(toMembership({ id: '900', user_id: '7', workspace_group_id: '5' }, users)).toEqual({
      id: '900',
      userId: '7',
      groupId: '5',
      user: { id: '7', name: 'Ann Lee', email: 'ann@example.com', disabled: false, isAdministrator: false },
    });
    expect(toMembership({ id: '901', user_id: '8', workspace_group_id: '5' }, users)).toEqual({
      id: '901',
      userId: '8',
      groupId: '5',
    });
  });
});
