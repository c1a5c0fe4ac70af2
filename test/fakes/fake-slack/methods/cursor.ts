/** Slack's opaque cursors, as the fake makes them: an offset in base64. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

export function decodeCursor(cursor: string): number | undefined {
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return m?.[1] === undefined ? undefined : Number(m[1]);
}
