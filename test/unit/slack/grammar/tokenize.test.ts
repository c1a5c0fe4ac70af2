import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../../src/slack/grammar/tokenize.js';

function shapes(text: string) {
  const result = tokenize(text);
  if (!result.ok) throw new Error(`unbalanced ${result.quote}`);
  return {
    tokens: result.tokens.map((t) => [t.kind, t.raw]),
    hasReason: result.hasReason,
    reason: result.reason,
  };
}

describe('tokenize', () => {
  it.each([
    [
      'a b,c\nd',
      [
        ['word', 'a'],
        ['word', 'b'],
        ['word', 'c'],
        ['word', 'd'],
      ],
    ],
    [
      '"x y" “p q” \'r s\' ‘t u’',
      [
        ['quoted', 'x y'],
        ['quoted', 'p q'],
        ['quoted', 'r s'],
        ['quoted', 't u'],
      ],
    ],
    ['„German“', [['quoted', 'German']]],
    [
      '<@U1|a b><#C1>',
      [
        ['angle', '<@U1|a b>'],
        ['angle', '<#C1>'],
      ],
    ],
    [
      'a@b.co<@U1>',
      [
        ['word', 'a@b.co'],
        ['angle', '<@U1>'],
      ],
    ],
    ['<@U1 x>', [['angle', '<@U1 x>']]],
    [
      '<abc <@U1>',
      [
        ['word', '<abc'],
        ['angle', '<@U1>'],
      ],
    ],
    [
      '<@U1\n>',
      [
        ['word', '<@U1'],
        ['word', '>'],
      ],
    ],
    [
      'R&amp;D;x',
      [
        ['word', 'R&amp;D'],
        ['word', 'x'],
      ],
    ],
    [
      '&lt;;&gt;;',
      [
        ['word', '&lt;'],
        ['word', '&gt;'],
      ],
    ],
    [
      "O'Brien don't",
      [
        ['word', "O'Brien"],
        ['word', "don't"],
      ],
    ],
    [
      '"a"b',
      [
        ['quoted', 'a'],
        ['word', 'b'],
      ],
    ],
  ])('%j', (text, tokens) => {
    expect(shapes(text).tokens).toEqual(tokens);
  });

  it('keeps offsets into the input', () => {
    const result = tokenize('  ab "c d" <@U1>');
    expect(result.ok && result.tokens.map((t) => [t.start, t.end])).toEqual([
      [2, 4],
      [5, 10],
      [11, 16],
    ]);
  });

  it('stops at the first bare --reason and keeps the raw rest', () => {
    expect(shapes('add g <@U1> --reason a "b\n<!here> --reason c ')).toEqual({
      tokens: [
        ['word', 'add'],
        ['word', 'g'],
        ['angle', '<@U1>'],
      ],
      hasReason: true,
      reason: 'a "b\n<!here> --reason c',
    });
    expect(shapes('"--reason" x').hasReason).toBe(false);
    expect(shapes('--reasons x').hasReason).toBe(false);
    expect(shapes('–reason=x').reason).toBe('x');
  });

  it('reports an unclosed quote with the tokens before it', () => {
    const result = tokenize('members "Design');
    expect(result).toMatchObject({ ok: false, quote: '"', at: 8 });
    expect(!result.ok && result.tokens.map((t) => t.raw)).toEqual(['members']);
    expect(tokenize("x 'it's").ok).toBe(false);
  });
});
