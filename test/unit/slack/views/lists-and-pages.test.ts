import { describe, expect, it } from 'vitest';
import { helpText } from '../../../../src/slack/grammar/parse-groups-command.js';
import { ACTION } from '../../../../src/slack/ids.js';
import { groupListMessage } from '../../../../src/slack/views/group-list-message.js';
import { helpMessage } from '../../../../src/slack/views/help-message.js';
import {
  membersMessage,
  membersPageValue,
  parseMembersPageValue,
} from '../../../../src/slack/views/members-message.js';
import { fitItems } from '../../../../src/slack/views/name-list.js';
import { allText, expectWithinLimits, users } from './message-limits.js';

describe('fitItems', () => {
  it('shows what fits and counts the rest', () => {
    expect(fitItems(['a', 'b', 'c'], 100)).toEqual({ text: 'a, b, c', shown: 3, more: 0 });
    const fit = fitItems(
      Array.from({ length: 1000 }, (_, i) => `name${i}`),
      60,
    );
    expect(fit.text.length).toBeLessThanOrEqual(60);
    expect(fit.text).toMatch(/…and [0-9,]+ more$/);
    expect(fit.shown + fit.more).toBe(1000);
  });
});

describe('groupListMessage', () => {
  it('lists groups and suggests narrowing when there are too many', () => {
    const groups = Array.from({ length: 1000 }, (_, i) => ({ id: String(i + 1), name: `Group number ${i}` }));
    const message = groupListMessage({ groups });
    expectWithinLimits(message);
    const text = allText(message);
    expect(text).toContain('Group number 0');
    expect(text).toMatch(/…and [0-9,]+ more; narrow with `\/groups list &lt;words&gt;`/);
  });

  it('says so when nothing matches, and escapes the search words', () => {
    const message = groupListMessage({ groups: [], search: '<!channel>' });
    expect(allText(message)).toContain('No Kantata group matches');
    expect(allText(message)).not.toContain('<!channel>');
  });
});

describe('membersMessage', () => {
  const group = { id: '42', name: 'Design' };
  it('has Next on the first page, Previous and Next in the middle, Previous on the last', () => {
    const ids = (page: number, pageCount: number) =>
      membersMessage({ group, page: { members: users(20), total: pageCount * 20, page, pageCount } })
        .blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []))
        .map((e) => [(e as { action_id: string }).action_id, (e as { value: string }).value]);
    expect(ids(1, 3)).toEqual([[ACTION.membersPage, '42:2']]);
    expect(ids(2, 3)).toEqual([
      [ACTION.membersPagePrevious, '42:1'],
      [ACTION.membersPage, '42:3'],
    ]);
    expect(ids(3, 3)).toEqual([[ACTION.membersPagePrevious, '42:2']]);
    expect(ids(1, 1)).toEqual([]);
    expectWithinLimits(
      membersMessage({ group, page: { members: users(20), total: 5000, page: 3, pageCount: 250 } }),
    );
  });

  it('reads back only well-formed page values', () => {
    expect(parseMembersPageValue(membersPageValue('42', 3))).toEqual({ groupId: '42', page: 3 });
    for (const bad of [undefined, '', '42', '42:0', 'x:1', '42:1:2', '<@U1>:2', 42]) {
      expect(parseMembersPageValue(bad)).toBeNull();
    }
  });
});

describe('helpMessage', () => {
  it('fits the whole help in sections', () => {
    const message = helpMessage(helpText());
    expectWithinLimits(message);
    expect(allText(message)).toContain('/groups add');
  });
});
