import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION, BLOCK, VIEW } from '../../../../src/slack/ids.js';
import { blockSuggestionPayload } from '../../../fakes/fake-slack/index.js';
import type { Person, TestBot } from '../../harness.js';
import { openModal, startModalTestBot } from './support.js';

let h: TestBot;
let member: Person;

beforeAll(async () => {
  h = await startModalTestBot();
  member = h.addPerson({ name: 'Mia Member' });
  for (const name of ['Design', 'Design Ops', 'QA', 'Finance']) h.kantata.addGroup(name);
});

afterAll(async () => {
  await h?.stop();
});

function suggest(userId: string, value: string) {
  return h.interact(
    blockSuggestionPayload({ userId, actionId: ACTION.modalGroup, blockId: BLOCK.modalGroup, value }),
  );
}

describe('/groups alone', () => {
  it('opens the modal with the fresh trigger_id before asking Kantata anything', async () => {
    // A slow Kantata makes any Kantata call made before views.open show up well before it.
    h.kantata.setLatency(300);
    const someone = h.addPerson({ name: 'Fresh Face' }); // nothing about them is cached yet
    const sentAt = Date.now();
    try {
      const viewId = await openModal(h, someone.slackId);
      const open = h.slack.callsTo('views.open').at(-1)!;
      const kantataBefore = h.kantata.requests.filter((r) => r.at >= sentAt && r.at < open.at);
      expect(kantataBefore).toEqual([]);
      const stored = h.slack.views.get(viewId)!;
      expect(stored.view.callback_id).toBe(VIEW.changeModal);
      const blockIds = stored.view.blocks.map((b: { block_id?: string }) => b.block_id);
      expect(blockIds).toEqual(
        expect.arrayContaining([
          BLOCK.modalAction,
          BLOCK.modalGroup,
          BLOCK.modalPeople,
          BLOCK.modalEmails,
          BLOCK.modalReason,
        ]),
      );
      expect(h.slack.responses.filter((r) => r.at >= sentAt)).toEqual([]);
    } finally {
      h.kantata.setLatency(0);
    }
  });

  it('says so when Slack refuses the trigger_id', async () => {
    const reply = await h.command(member.slackId, '', { triggerId: 'not-a-trigger' });
    const body = reply.responses()[0]?.body;
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('run `/groups` again');
    expect(h.slack.views.all().some((v) => v.view?.callback_id === VIEW.changeModal && v.updates > 0)).toBe(
      false,
    );
  });
});

describe('the group type-ahead', () => {
  it('answers with the matching groups, id as the value', async () => {
    const design = h.kantata.groups().find((g) => g.name === 'Design')!;
    const answer = await suggest(member.slackId, 'des');
    expect(answer.status).toBe(200);
    const options = answer.json.options as { text: { text: string }; value: string }[];
    expect(options.map((o) => o.text.text)).toEqual(['Design', 'Design Ops']);
    expect(options[0]?.value).toBe(design.id);
  });

  it('finds short names from one or two letters', async () => {
    const answer = await suggest(member.slackId, 'qa');
    expect(answer.json.options.map((o: { text: { text: string } }) => o.text.text)).toEqual(['QA']);
  });

  it('gives a guest nothing', async () => {
    const guest = h.addPerson({ name: 'Gail Guest', guest: true });
    const answer = await suggest(guest.slackId, 'des');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ options: [] });
  });

  it('gives someone who is not in Kantata nothing', async () => {
    const stranger = h.slack.addUser({ name: 'Stranger', email: 'stranger@elsewhere.example' });
    const answer = await suggest(stranger.id, 'des');
    expect(answer.json).toEqual({ options: [] });
  });

  it('answers in time even when Kantata is slow, and the next keystroke finds the list', async () => {
    h.kantata.addGroup('Delivery');
    h.clock.advance(61_000); // the cached group list (and who the member is) must now be read again
    h.kantata.setLatency(2_600);
    try {
      const slow = await suggest(member.slackId, 'deli');
      expect(slow.status).toBe(200);
      expect(slow.json).toEqual({ options: [] });
    } finally {
      h.kantata.setLatency(0);
    }
    await vi.waitFor(
      async () => {
        const warm = await suggest(member.slackId, 'deli');
        expect(warm.json.options.map((o: { text: { text: string } }) => o.text.text)).toEqual(['Delivery']);
      },
      { timeout: 8_000, interval: 200 },
    );
  });
});
