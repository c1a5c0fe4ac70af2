import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock, Store } from '../../src/approvals/ports.js';
import type { Change } from '../../src/approvals/types.js';
import type { LinkAuditEntry } from '../../src/membership/ports.js';
import { UNRESOLVED_REASON_CODES } from '../../src/membership/types.js';
import { describeEndsContract } from './ends-contract.js';
import { describeLeaseContract } from './lease-contract.js';
import { describeOwnersContract } from './owners-contract.js';
import { describeStandingSyncContract } from './standing-sync-contract.js';
import { collect, ManualClock, makeAudit, makeChange, outcome, reportOf } from './store-fixtures.js';

function linkAudit(
  id: string,
  event: LinkAuditEntry['event'],
  kantataUserId: string,
  more: Partial<LinkAuditEntry> = {},
): LinkAuditEntry {
  return {
    id,
    at: '2026-03-02T10:00:00.000Z',
    event,
    actor: { slackUserId: 'U_ADMIN', kantataUserId: '200', name: 'Ada Admin' },
    slackUserId: 'U1',
    kantataUserId,
    ...more,
  };
}

export type StoreHarness = {
  store: Store;
  /** Closes nothing: opens a second store on the same file or database (the test closes the first). */
  reopen(): Promise<Store>;
  /** Closes every store it opened and removes what the test left behind. */
  cleanup(): Promise<void>;
};

/** The behaviour every store backend must show; run by each backend's test file. */
export function describeStoreContract(
  name: string,
  makeStore: (ctx: { clock: Clock }) => Promise<StoreHarness>,
) {
  describe(`${name}: Store contract`, () => {
    let clock: ManualClock;
    let harness: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      clock = new ManualClock();
      harness = await makeStore({ clock });
      store = harness.store;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    describe('changes', () => {
      it('stores a change and reads it back; unknown ids are null', async () => {
        const change = makeChange({ id: 'c1', locations: { card: 'C1/1700000000.000100' } });
        await store.createChange(change);
        expect(await store.getChange('c1')).toEqual(change);
        expect(await store.getChange('nope')).toBeNull();
      });

      it('reads back a preview naming every reason the core can give for an unresolved person', async () => {
        const unresolved = UNRESOLVED_REASON_CODES.map((reason) => ({ label: `who-${reason}`, reason }));
        const base = makeChange({ id: 'c1' });
        await store.createChange({ ...base, plan: { ...base.plan, unresolved } });
        await store.close();
        const reopened = await harness.reopen();
        expect((await reopened.getChange('c1'))?.plan.unresolved).toEqual(unresolved);
      });

      it('refuses a second change with the same id and keeps the first', async () => {
        await store.createChange(makeChange({ id: 'c1', reason: 'first' }));
        await expect(store.createChange(makeChange({ id: 'c1', reason: 'second' }))).rejects.toMatchObject({
          code: 'invalid_input',
        });
        expect((await store.getChange('c1'))?.reason).toBe('first');
      });

      it('hands out copies: changing a returned object does not change the store', async () => {
        await store.createChange(makeChange({ id: 'c1' }));
        const read = (await store.getChange('c1'))!;
        read.reason = 'tampered';
        read.plan.toChange.pop();
        const again = (await store.getChange('c1'))!;
        expect(again.reason).toBe('new hires');
        expect(again.plan.toChange).toHaveLength(2);
      });

      it('transitions when the status is one of those expected, applying the patch', async () => {
        await store.createChange(makeChange({ id: 'c1' }));
        clock.advance(60_000);
        const decidedBy = { slackUserId: 'U_ADMIN', name: 'Admin' };
        const result = await store.transitionChange('c1', ['pending'], 'approved', {
          decidedBy,
          decidedAt: clock.now().toISOString(),
          decisionReason: undefined,
        });
        expect(result.ok).toBe(true);
        const expected = {
          ...makeChange({ id: 'c1' }),
          status: 'approved',
          decidedBy,
          decidedAt: '2026-03-01T09:01:00.000Z',
          updatedAt: '2026-03-01T09:01:00.000Z',
        };
        expect(result.ok && result.change).toEqual(expected);
        expect(await store.getChange('c1')).toEqual(expected);
      });

      it('refuses a transition from an unexpected status and returns the current record', async () => {
        await store.createChange(makeChange({ id: 'c1', status: 'denied' }));
        const result = await store.transitionChange('c1', ['pending', 'approved'], 'applying');
        expect(result).toEqual({ ok: false, current: makeChange({ id: 'c1', status: 'denied' }) });
        expect((await store.getChange('c1'))?.status).toBe('denied');
        expect(await store.transitionChange('missing', ['pending'], 'approved')).toEqual({
          ok: false,
          current: null,
        });
      });

      it('lets exactly one of 20 simultaneous approvals win', async () => {
        await store.createChange(makeChange({ id: 'c1' }));
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.transitionChange('c1', ['pending'], 'approved', { decidedBy: { slackUserId: `U${i}` } }),
          ),
        );
        const winners = results.filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        const winner = winners[0]!.ok ? winners[0]!.change.decidedBy : undefined;
        for (const loser of results.filter((r) => !r.ok)) {
          expect(!loser.ok && loser.current?.status).toBe('approved');
        }
        expect((await store.getChange('c1'))?.decidedBy).toEqual(winner);
      });

      it('updates other fields without touching the status', async () => {
        await store.createChange(makeChange({ id: 'c1' }));
        clock.advance(5_000);
        const notification = { status: 'failed' as const, attempts: 2, lastError: 'not_in_channel' };
        const updated = await store.updateChange('c1', { notification, locations: { card: 'C9/1.2' } });
        expect(updated).toEqual({
          ...makeChange({ id: 'c1' }),
          notification,
          locations: { card: 'C9/1.2' },
          updatedAt: '2026-03-01T09:00:05.000Z',
        });
        expect(await store.getChange('c1')).toEqual(updated);
        expect(await store.updateChange('missing', { reason: 'x' })).toBeNull();
      });

      it('appends outcome batches in order, concurrent batches included', async () => {
        await store.createChange(makeChange({ id: 'c1', status: 'applying' }));
        await store.appendOutcomes('c1', [outcome('1'), outcome('2', 'already_member')]);
        await store.appendOutcomes('c1', [outcome('3', 'failed')]);
        expect((await store.getChange('c1'))?.outcomes?.map((o) => [o.user.id, o.outcome])).toEqual([
          ['1', 'added'],
          ['2', 'already_member'],
          ['3', 'failed'],
        ]);
        await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.appendOutcomes('c1', [outcome(`p${i}`)])),
        );
        const ids = (await store.getChange('c1'))?.outcomes?.map((o) => o.user.id) ?? [];
        expect(ids).toHaveLength(13);
        expect(new Set(ids.slice(3))).toEqual(new Set(Array.from({ length: 10 }, (_, i) => `p${i}`)));
        await expect(store.appendOutcomes('missing', [outcome('1')])).rejects.toMatchObject({
          code: 'change_not_found',
        });
      });

      it('lists changes by status and requester, oldest first, within a limit', async () => {
        const at = (minute: number) => `2026-03-01T09:${String(minute).padStart(2, '0')}:00.000Z`;
        const other = { slackUserId: 'U_OTHER' };
        await store.createChange(makeChange({ id: 'c3', createdAt: at(3) }));
        await store.createChange(makeChange({ id: 'c1', createdAt: at(1) }));
        await store.createChange(
          makeChange({ id: 'c2', createdAt: at(2), status: 'approved', requestedBy: other }),
        );
        await store.createChange(makeChange({ id: 'c4', createdAt: at(4), requestedBy: other }));
        await store.createChange(makeChange({ id: 'c0', createdAt: at(0), status: 'applied' }));
        const ids = (changes: Change[]) => changes.map((c) => c.id);

        expect(ids(await store.listChanges({ statuses: ['pending'] }))).toEqual(['c1', 'c3', 'c4']);
        expect(ids(await store.listChanges({ statuses: ['pending', 'approved'] }))).toEqual([
          'c1',
          'c2',
          'c3',
          'c4',
        ]);
        expect(ids(await store.listChanges({ statuses: ['pending'], requestedBy: 'U_OTHER' }))).toEqual([
          'c4',
        ]);
        expect(ids(await store.listChanges({ statuses: ['pending', 'approved'], limit: 2 }))).toEqual([
          'c1',
          'c2',
        ]);
        expect(await store.listChanges({ statuses: ['expired'] })).toEqual([]);
        // Finished and announced: history, read by id only.
        expect(await store.listChanges({ statuses: ['applied'] })).toEqual([]);
        expect(await store.getChange('c0')).toEqual(
          makeChange({ id: 'c0', createdAt: at(0), status: 'applied' }),
        );
      });

      it('lists a finished change while its announcement is pending, and not once it is posted', async () => {
        const pending = { status: 'pending' as const, attempts: 0 };
        await store.createChange(makeChange({ id: 'c1', status: 'applying' }));
        await store.transitionChange('c1', ['applying'], 'applied', { notification: pending });
        expect((await store.listChanges({ statuses: ['applied'] })).map((c) => c.id)).toEqual(['c1']);
        await store.updateChange('c1', { notification: { status: 'posted', attempts: 1 } });
        expect(await store.listChanges({ statuses: ['applied'] })).toEqual([]);
        expect((await store.getChange('c1'))?.notification).toEqual({ status: 'posted', attempts: 1 });
      });

      it('gives every read of a finished change its own copy, with the updates made between reads', async () => {
        await store.createChange(makeChange({ id: 'c1', status: 'applying' }));
        await store.transitionChange('c1', ['applying'], 'applied', { report: reportOf(['1', '2']) });
        const first = await store.getChange('c1');
        first!.report!.outcomes.pop();
        first!.plan.toChange.length = 0;
        await store.updateChange('c1', { undoneBy: 'c2' });
        const second = await store.getChange('c1');
        expect(second?.report).toEqual(reportOf(['1', '2']));
        expect(second?.plan.toChange).toHaveLength(makeChange({ id: 'x' }).plan.toChange.length);
        expect(second?.undoneBy).toBe('c2');
      });

      it('updates a finished change (undone by, where shown) and keeps it across a reopen', async () => {
        await store.createChange(makeChange({ id: 'c1', status: 'applying' }));
        await store.transitionChange('c1', ['applying'], 'applied', { report: reportOf(['1', '2']) });
        const updated = await store.updateChange('c1', { undoneBy: 'c2', locations: { card: 'C1/1.2' } });
        expect(updated).toMatchObject({
          id: 'c1',
          status: 'applied',
          undoneBy: 'c2',
          locations: { card: 'C1/1.2' },
        });
        await store.updateChange('c1', { locations: { card: 'C1/1.2', notify: 'C2/3.4' } });
        const refused = await store.transitionChange('c1', ['pending'], 'approved');
        expect(refused).toMatchObject({
          ok: false,
          current: { id: 'c1', status: 'applied', undoneBy: 'c2' },
        });
        await store.close();
        const reopened = await harness.reopen();
        expect(await reopened.getChange('c1')).toMatchObject({
          status: 'applied',
          undoneBy: 'c2',
          locations: { card: 'C1/1.2', notify: 'C2/3.4' },
          report: reportOf(['1', '2']),
          plan: makeChange({ id: 'c1' }).plan,
        });
      });

      it('stores the audit row given with a transition only if the transition is taken', async () => {
        await store.createChange(makeChange({ id: 'c1', status: 'applying' }));
        const row = makeAudit({ id: 'a1', changeId: 'c1', event: 'applied' });
        expect((await store.transitionChange('c1', ['applying'], 'applied', {}, { audit: row })).ok).toBe(
          true,
        );
        const again = makeAudit({ id: 'a2', changeId: 'c1', event: 'applied' });
        expect((await store.transitionChange('c1', ['applying'], 'failed', {}, { audit: again })).ok).toBe(
          false,
        );
        expect((await store.listAudit({})).map((e) => e.id)).toEqual(['a1']);
      });

      it('keeps the journal of a running change across a reopen and drops it once finished', async () => {
        await store.createChange(makeChange({ id: 'c1', status: 'applying' }));
        await store.appendOutcomes('c1', [outcome('1')]);
        await store.appendOutcomes('c1', [outcome('2', 'already_member')]);
        await store.close();
        let reopened = await harness.reopen();
        expect((await reopened.getChange('c1'))?.outcomes).toEqual([
          outcome('1'),
          outcome('2', 'already_member'),
        ]);
        await reopened.transitionChange('c1', ['applying'], 'applied', {
          report: reportOf(['1', '2']),
          outcomes: [],
        });
        await reopened.close();
        reopened = await harness.reopen();
        const finished = await reopened.getChange('c1');
        expect(finished?.outcomes ?? []).toEqual([]);
        expect(finished?.report).toEqual(reportOf(['1', '2']));
      });

      it('drops unused previews after PREVIEW_TTL (24h by default), and only previews', async () => {
        await store.createChange(makeChange({ id: 'p1', status: 'previewed' }));
        await store.createChange(makeChange({ id: 'r1', status: 'pending' }));
        clock.advance(23 * 3_600_000);
        expect((await store.getChange('p1'))?.status).toBe('previewed');
        clock.advance(3_600_000);
        expect(await store.getChange('p1')).toBeNull();
        expect(await store.listChanges({ statuses: ['previewed'] })).toEqual([]);
        expect((await store.getChange('r1'))?.status).toBe('pending');
        // Swept from the store itself with the next write, not only hidden.
        await store.claimKey('k', 1_000);
        await store.createChange(
          makeChange({ id: 'p2', status: 'previewed', createdAt: clock.now().toISOString() }),
        );
        await store.close();
        const reopened = await harness.reopen();
        expect(await reopened.getChange('p1')).toBeNull();
        expect((await reopened.getChange('p2'))?.status).toBe('previewed');
      });
    });

    describe('deliveries', () => {
      it('lists the finished changes that owe an announcement, oldest first, and only those', async () => {
        const pending = { status: 'pending' as const, attempts: 0 };
        const posted = { status: 'posted' as const, attempts: 1 };
        const finish = async (
          id: string,
          at: string,
          fields: Partial<Change>,
          status: 'applied' | 'denied',
        ) => {
          await store.createChange(makeChange({ id, createdAt: at }));
          const via = status === 'applied' ? 'applying' : 'pending';
          if (via === 'applying') await store.transitionChange(id, ['pending'], 'applying');
          await store.transitionChange(id, [via], status, { report: reportOf(['1']), ...fields });
        };
        await finish('notice', '2026-03-01T09:00:03.000Z', { notification: pending }, 'applied');
        await finish(
          'card',
          '2026-03-01T09:00:01.000Z',
          { outbox: { 'decided:approvers': pending } },
          'denied',
        );
        await finish(
          'done',
          '2026-03-01T09:00:02.000Z',
          { notification: posted, outbox: { 'decided:requester': posted } },
          'applied',
        );
        await finish(
          'given-up',
          '2026-03-01T09:00:04.000Z',
          { notification: { status: 'failed', attempts: 30 } },
          'applied',
        );
        await store.createChange(makeChange({ id: 'open', notification: pending }));
        expect((await store.listOwing()).map((c) => c.id)).toEqual(['card', 'notice']);
        expect((await store.listOwing({ limit: 1 })).map((c) => c.id)).toEqual(['card']);
        // Delivered: no longer owed.
        await store.recordDeliveries('card', { 'decided:approvers': posted });
        await store.updateChange('notice', { notification: posted });
        expect(await store.listOwing()).toEqual([]);
      });

      it('writes the audit row of a delivery update with it, live or finished, and none for an unknown change', async () => {
        await store.createChange(makeChange({ id: 'c1' }));
        await store.transitionChange('c1', ['pending'], 'applying');
        const owed = { status: 'pending' as const, attempts: 0 };
        await store.transitionChange('c1', ['applying'], 'applied', {
          report: reportOf(['1']),
          notification: owed,
          outbox: { 'decided:approvers': owed },
        });
        const failed = { status: 'failed' as const, attempts: 30, lastError: 'channel_not_found' };
        const row = (id: string, delivery: 'notification' | 'decided:approvers') =>
          makeAudit({ id, event: 'delivery_given_up', outcomes: [], delivery: { delivery, attempts: 30 } });
        await store.recordDeliveries(
          'c1',
          { 'decided:approvers': failed },
          { audit: row('g1', 'decided:approvers') },
        );
        await store.updateChange('c1', { notification: failed }, { audit: row('g2', 'notification') });
        expect(
          await store.recordDeliveries(
            'nope',
            { 'decided:approvers': failed },
            { audit: row('g3', 'decided:approvers') },
          ),
        ).toBeNull();
        expect(
          await store.updateChange('nope', { notification: failed }, { audit: row('g4', 'notification') }),
        ).toBeNull();
        const change = await store.getChange('c1');
        expect(change?.notification).toEqual(failed);
        expect(change?.outbox?.['decided:approvers']).toEqual(failed);
        await store.close();
        const reopened = await harness.reopen();
        expect(await reopened.listAudit({})).toEqual([
          row('g2', 'notification'),
          row('g1', 'decided:approvers'),
        ]);
        expect((await reopened.getChange('c1'))?.notification).toEqual(failed);
      });
    });

    describe('audit log', () => {
      const entries = [
        makeAudit({ id: 'a1', at: '2026-03-01T09:00:00.000Z', groupId: 'g1' }),
        makeAudit({ id: 'a2', at: '2026-03-02T09:00:00.000Z', groupId: 'g2', reason: 'x', requestId: 'c9' }),
        makeAudit({
          id: 'a3',
          at: '2026-03-03T09:00:00.000Z',
          groupId: 'g1',
          approver: { slackUserId: 'U_A' },
        }),
        makeAudit({ id: 'a4', at: '2026-03-04T09:00:00.000Z', groupId: 'g1', event: 'failed', outcomes: [] }),
      ];

      beforeEach(async () => {
        for (const entry of entries) await store.appendAudit(entry);
      });

      it('lists newest first, by group, within a limit', async () => {
        expect(await store.listAudit({})).toEqual([...entries].reverse());
        expect((await store.listAudit({ groupId: 'g1' })).map((e) => e.id)).toEqual(['a4', 'a3', 'a1']);
        expect((await store.listAudit({ groupId: 'g1', limit: 2 })).map((e) => e.id)).toEqual(['a4', 'a3']);
        expect(await store.listAudit({ groupId: 'nope' })).toEqual([]);
      });

      it('exports oldest first, everything or since a date', async () => {
        expect(await collect(store.exportAudit({}))).toEqual(entries);
        expect(
          (await collect(store.exportAudit({ since: '2026-03-02T09:00:00.000Z' }))).map((e) => e.id),
        ).toEqual(['a2', 'a3', 'a4']);
        expect((await collect(store.exportAudit({ since: '2026-03-03' }))).map((e) => e.id)).toEqual([
          'a3',
          'a4',
        ]);
        expect(await collect(store.exportAudit({ since: '2027-01-01' }))).toEqual([]);
      });

      it('refuses an export since something that is not a date', async () => {
        await expect(collect(store.exportAudit({ since: 'last tuesday' }))).rejects.toMatchObject({
          code: 'invalid_input',
        });
      });
    });

    describe('processed keys', () => {
      it('claims a key once within its ttl, and again after it expired', async () => {
        expect(await store.claimKey('slack:retry:1', 60_000)).toBe(true);
        expect(await store.claimKey('slack:retry:1', 60_000)).toBe(false);
        expect(await store.claimKey('slack:retry:2', 60_000)).toBe(true);
        clock.advance(59_999);
        expect(await store.claimKey('slack:retry:1', 60_000)).toBe(false);
        clock.advance(1);
        expect(await store.claimKey('slack:retry:1', 60_000)).toBe(true);
        expect(await store.claimKey('slack:retry:1', 60_000)).toBe(false);
      });

      it('gives a key to exactly one of 20 simultaneous claims', async () => {
        const claims = await Promise.all(
          Array.from({ length: 20 }, () => store.claimKey('double-click', 60_000)),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('identity links', () => {
      it('sets, replaces, reads and removes a link', async () => {
        expect(await store.getLink('U1')).toBeNull();
        const link = {
          slackUserId: 'U1',
          kantataUserId: '42',
          linkedBy: 'U_ADMIN',
          linkedAt: '2026-03-01T09:00:00Z',
        };
        await store.setLink(link, linkAudit('l1', 'linked', '42'));
        expect(await store.getLink('U1')).toEqual(link);
        const relinked = { ...link, kantataUserId: '43', linkedAt: '2026-03-02T09:00:00.000Z' };
        await store.setLink(relinked, linkAudit('l2', 'linked', '43'));
        expect(await store.getLink('U1')).toEqual(relinked);
        expect(
          await store.removeLink('U1', (removed) => linkAudit('l3', 'unlinked', removed.kantataUserId)),
        ).toBe(true);
        expect(await store.removeLink('U1', () => linkAudit('l4', 'unlinked', 'x'))).toBe(false);
        expect(await store.getLink('U1')).toBeNull();
      });

      it('audits each link and unlink in the same write, among the rows of changes, and reads them back', async () => {
        await store.appendAudit(makeAudit({ id: 'a1' }));
        const link = {
          slackUserId: 'U1',
          kantataUserId: '42',
          linkedBy: 'U_ADMIN',
          linkedAt: '2026-03-01T09:00:00Z',
        };
        const linked = linkAudit('l1', 'linked', '42', {
          kantataUserName: 'Ann',
          kantataUserEmail: 'ann@x.org',
        });
        await store.setLink(link, linked);
        // The row of an unlink names the link it removed, read in the same write.
        await store.removeLink('U1', (removed) => linkAudit('l2', 'unlinked', removed.kantataUserId));
        await store.removeLink('U1', () => linkAudit('l3', 'unlinked', 'never'));
        const unlinked = linkAudit('l2', 'unlinked', '42');
        expect(await store.listAudit({})).toEqual([unlinked, linked, makeAudit({ id: 'a1' })]);
        // Links concern no group: a group's history does not list them.
        expect((await store.listAudit({ groupId: 'g1' })).map((e) => e.id)).toEqual(['a1']);
        await store.close();
        const reopened = await harness.reopen();
        expect((await collect(reopened.exportAudit({}))).map((e) => e.id)).toEqual(['a1', 'l1', 'l2']);
        expect(await reopened.listAudit({ limit: 2 })).toEqual([unlinked, linked]);
      });
    });

    it('answers a write probe', async () => {
      expect(await store.probeWrite()).toBe(true);
    });

    describeLeaseContract(() => ({ store, clock }));
    const reopenAfterClose = async () => {
      await store.close();
      return harness.reopen();
    };
    describeEndsContract(() => ({ store, clock, reopen: reopenAfterClose }));
    describeStandingSyncContract(() => ({ store, clock, reopen: reopenAfterClose }));
    describeOwnersContract(() => ({ store, clock, reopen: reopenAfterClose }));

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });

    it('keeps everything across a close and a new store on the same data', async () => {
      await store.createChange(makeChange({ id: 'c1' }));
      await store.transitionChange('c1', ['pending'], 'applying');
      await store.appendOutcomes('c1', [outcome('1')]);
      await store.createChange(makeChange({ id: 'c2' }));
      await store.appendAudit(makeAudit({ id: 'a1' }));
      await store.claimKey('k1', 3_600_000);
      await store.setLink(
        { slackUserId: 'U1', kantataUserId: '42', linkedBy: 'U2', linkedAt: '2026-03-01T09:00:00Z' },
        linkAudit('l1', 'linked', '42'),
      );
      const before = await store.getChange('c1');
      await store.close();

      const reopened = await harness.reopen();
      expect(await reopened.getChange('c1')).toEqual(before);
      expect(before?.status).toBe('applying');
      expect((await reopened.listChanges({ statuses: ['pending'] })).map((c) => c.id)).toEqual(['c2']);
      expect((await reopened.listAudit({})).map((e) => e.id)).toEqual(['l1', 'a1']);
      expect(await reopened.claimKey('k1', 3_600_000)).toBe(false);
      expect((await reopened.getLink('U1'))?.kantataUserId).toBe('42');
    });
  });
}
