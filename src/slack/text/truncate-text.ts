const ELLIPSIS = '…';

/**
 * Shortens `text` to at most `max` UTF-16 code units (the unit Slack's length limits are checked in), ending
 * with an ellipsis when something was cut. Never splits a surrogate pair, so an emoji is either kept whole or
 * dropped, and Slack never receives half a character (which it rejects as invalid UTF-8).
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (!(max >= 1)) return '';
  let end = Math.floor(max) - ELLIPSIS.length;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, Math.max(0, end)) + ELLIPSIS;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
