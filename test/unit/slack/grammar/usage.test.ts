import { describe, expect, it } from 'vitest';
import { closestSubcommand } from '../../../../src/slack/grammar/suggest.js';
import type { GroupsCommandKind } from '../../../../src/slack/grammar/types.js';
import { helpText, SUBCOMMANDS, usageFor, usageSummary } from '../../../../src/slack/grammar/usage.js';
import { editDistance } from '../../../../src/util/edit-distance.js';

const KINDS: GroupsCommandKind[] = ['open_modal', ...SUBCOMMANDS];

describe('usageFor', () => {
  it.each(KINDS.map((kind) => [kind]))('%s is one escaped code span naming the command', (kind) => {
    const usage = usageFor(kind);
    expect(usage).toMatch(/^`\/groups[^`\n]*`$/);
    expect(usage).not.toMatch(/[<>]/);
    if (kind !== 'open_modal') expect(usage).toContain(`/groups ${kind}`);
  });

  it('shows the optional term and reason for changes', () => {
    expect(usageFor('add')).toBe(
      '`/groups add &lt;group&gt; &lt;people…&gt; [--for &lt;duration&gt; | --until &lt;YYYY-MM-DD&gt;] [--reason &lt;text&gt;]`',
    );
  });

  it('summary lists every form', () => {
    expect(usageSummary().split('\n')).toEqual(KINDS.map(usageFor));
  });
});

describe('helpText', () => {
  it('covers every sub-command with examples and no raw control sequences', () => {
    const help = helpText();
    for (const kind of KINDS) expect(help).toContain(usageFor(kind));
    expect(help).toContain('*Examples*');
    expect(help).toContain('--reason');
    expect(help).toContain('id:123');
    expect(help).not.toMatch(/[<>]/);
  });
});

describe('closestSubcommand', () => {
  it.each([
    ['memebrs', 'members'],
    ['Membres', 'members'],
    ['hisotry', 'history'],
    ['ad', 'add'],
    ['remvoe', 'remove'],
    ['lst', 'list'],
    ['whomai', 'whoami'],
    ['unlnk', 'unlink'],
    ['req', 'requests'],
    ['hist', 'history'],
    ['xyzzy', undefined],
    ['a', undefined],
    ['delete', undefined],
    ['x'.repeat(5000), undefined],
  ])('%j → %s', (word, expected) => {
    expect(closestSubcommand(word)).toBe(expected);
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['ab', 'ba', 1],
    ['members', 'memebrs', 1],
  ])('%j ↔ %j = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});
