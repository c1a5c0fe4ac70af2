import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../../../src/slack/text/escape-mrkdwn.js';
import { unescapeSlackText } from '../../../../src/slack/text/unescape-slack-text.js';

const ZWJ = '\u200D';

describe('escapeMrkdwn', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here>', '&lt;!here&gt;'],
    ['<!everyone>', '&lt;!everyone&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<!subteam^S1|@team>', '&lt;!subteam^S1|@team&gt;'],
    ['<https://evil.example|click>', '&lt;https://evil.example|click&gt;'],
    ['R&D', 'R&amp;D'],
    ['&lt; stays visible', '&amp;lt; stays visible'],
    ['plain words', 'plain words'],
  ])('escapes %j', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it.each(['@channel', '@here', '@everyone', '@Channel', 'hi @here!', 'end @here.', '(@everyone)'])(
    'neutralises the broadcast word %j',
    (input) => {
      const out = escapeMrkdwn(input);
      expect(out).toContain(`@${ZWJ}`);
      expect(out).not.toMatch(/@(channel|here|everyone)/i);
      expect(out.replaceAll(ZWJ, '')).toBe(input);
    },
  );

  it('leaves other @words and emails alone', () => {
    expect(escapeMrkdwn('@channels ann@here.com @bob')).toBe('@channels ann@here.com @bob');
  });

  it('never leaves a raw control character in the output', () => {
    const nasty = '<!channel> <@U1> <!subteam^S1> <#C1|x> <mailto:a@b.c|a@b.c> & >';
    expect(escapeMrkdwn(nasty)).not.toMatch(/[<>]|&(?!amp;|lt;|gt;)/);
  });

  it('round-trips with unescapeSlackText', () => {
    const text = 'a < b && c > d &amp; <@U1>';
    expect(unescapeSlackText(escapeMrkdwn(text))).toBe(text);
  });
});

describe('unescapeSlackText', () => {
  it.each([
    ['R&amp;D', 'R&D'],
    ['&lt;b&gt;', '<b>'],
    ['&amp;lt;', '&lt;'],
    ['&quot; &nbsp; &', '&quot; &nbsp; &'],
  ])('%j → %j', (input, expected) => {
    expect(unescapeSlackText(input)).toBe(expected);
  });
});

describe('escapeMrkdwn and formatting', () => {
  it.each([
    ['*bold*', '\u2217bold\u2217'],
    ['`code`', '\u02CBcode\u02CB'],
    ['~strike~', '\u223Cstrike\u223C'],
    ['_italic_', '\u02CDitalic\u02CD'],
  ])('neutralises %j with look-alikes that format nothing', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it('keeps an underscore inside a word, so emails stay exact', () => {
    expect(escapeMrkdwn('ann_lee@example.com')).toBe('ann_lee@example.com');
  });

  it('is the same after a second pass for formatting (only entities double)', () => {
    const once = escapeMrkdwn('*a* `b` ~c~ _d_');
    expect(escapeMrkdwn(once)).toBe(once);
  });
});
