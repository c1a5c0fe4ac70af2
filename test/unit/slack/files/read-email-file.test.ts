import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, readEmailFile } from '../../../../src/slack/files/read-email-file.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('readEmailFile', () => {
  it('reads the column named Email (any case), whatever else the file has', () => {
    const csv = 'Name,Email,Team\nAnn,ann@example.com,Design\n"Bob, Jr.",BOB@example.com,"Ops, ""night"""\n';
    expect(readEmailFile(bytes(csv), 1000)).toEqual({
      ok: true,
      emails: ['ann@example.com', 'BOB@example.com'],
    });
  });

  it('takes every cell that is an email when no column is named email', () => {
    const csv = 'ann@example.com,x\nnot an email,bob@example.com\n\ncat@example.com\nann@EXAMPLE.com\n';
    expect(readEmailFile(bytes(csv), 1000)).toEqual({
      ok: true,
      emails: ['ann@example.com', 'bob@example.com', 'cat@example.com'],
    });
  });

  it('reads a UTF-8 BOM, CRLF line ends and semicolons', () => {
    const csv = '\uFEFFname;EMAIL\r\nAnn;ann@example.com\r\nBob;bob@example.com\r\n';
    expect(readEmailFile(bytes(csv), 1000)).toEqual({
      ok: true,
      emails: ['ann@example.com', 'bob@example.com'],
    });
  });

  it('reads a 1,000-row file', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `Person ${i},person${i}@example.com`);
    const result = readEmailFile(bytes(`name,email\n${rows.join('\n')}\n`), 1000);
    expect(result.ok && result.emails.length).toBe(1000);
  });

  it('names the limit when the file has more people than one change may include', () => {
    const rows = Array.from({ length: 1001 }, (_, i) => `person${i}@example.com`);
    const result = readEmailFile(bytes(rows.join('\n')), 1000);
    expect(result).toEqual({
      ok: false,
      problem:
        'The file names more than 1,000 people (line 1,001); one change can include at most 1,000. Split the file.',
    });
  });

  it('names the line of a bad cell in the email column', () => {
    const result = readEmailFile(bytes('name,email\nAnn,ann@example.com\nBob,bob at example\n'), 1000);
    expect(result).toEqual({
      ok: false,
      problem: 'Line 3: “bob at example” in the email column is not an email address.',
    });
  });

  it('counts lines inside quoted fields', () => {
    const result = readEmailFile(bytes('name,email\n"Ann\nLee",ann@example.com\nBob,nope\n'), 1000);
    expect(result).toMatchObject({ ok: false, problem: expect.stringContaining('Line 4:') });
  });

  it('refuses an empty file, a binary file and an 11 MB file, saying why', () => {
    expect(readEmailFile(bytes(''), 1000)).toEqual({
      ok: false,
      problem: 'The file holds no email address. Put them in a column named `email`, or one per line.',
    });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe]);
    expect(readEmailFile(png, 1000)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('not text'),
    });
    expect(readEmailFile(bytes('a@example.com\u0000\u0000'), 1000)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('not text'),
    });
    const big = new Uint8Array(11 * 1024 * 1024).fill(0x61);
    expect(big.byteLength).toBeGreaterThan(MAX_FILE_BYTES);
    expect(readEmailFile(big, 1000)).toEqual({
      ok: false,
      problem: 'The file is 11.0 MB; the limit is 10 MB.',
    });
  });
});
