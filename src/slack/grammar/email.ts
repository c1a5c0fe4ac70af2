// Pragmatic, not RFC 5322: what Kantata and Slack profiles hold. Checked piece by piece rather than with one
// big regex, whose nested quantifiers could backtrack catastrophically on a long hostile token.
const LOCAL_PART = /^[^\s@<>()[\]\\,;:"]+$/;
const DOMAIN_LABEL = /^[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]*[a-z0-9\u00a1-\uffff])?$/i;
const TOP_LEVEL = /^[a-z\u00a1-\uffff]{2,}$/i;

export function isEmailAddress(text: string): boolean {
  if (text.length > 254) return false;
  const at = text.lastIndexOf('@');
  if (at <= 0 || at > 64) return false;
  const local = text.slice(0, at);
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..'))
    return false;
  const labels = text.slice(at + 1).split('.');
  const top = labels[labels.length - 1];
  return (
    labels.length >= 2 &&
    top !== undefined &&
    TOP_LEVEL.test(top) &&
    labels.every((l) => DOMAIN_LABEL.test(l))
  );
}
