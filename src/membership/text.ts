/** Text normalisation shared by group matching and people resolution. */

/**
 * The comparison key of a group name: trimmed, inner whitespace collapsed, lower-cased.
 * Kantata group names are unique regardless of case (SPEC §3), so this key identifies a group.
 */
export function groupNameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The comparison key of an email address: trimmed and lower-cased (Kantata matches emails case-insensitively). */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Whether a string can safely be sent to Kantata as one email. Emails travel in comma-separated query
 * lists (`by_email_addresses=a,b`), so a comma or a space would silently turn one person into several.
 */
export function isPlausibleEmail(email: string): boolean {
  return /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/.test(email.trim());
}

/** Kantata ids are decimal numbers sent as strings; anything else would corrupt an `only=` list. */
export function isKantataId(id: string): boolean {
  return /^[0-9]{1,20}$/.test(id);
}

/** The lower-cased domain of an email, or '' when there is none. */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : emailKey(email.slice(at + 1));
}

// Built on first use: building a collator loads its locale data (about 9 ms measured), which a start need
// not wait for.
let nameCollator: Intl.Collator | undefined;

/** Alphabetical order for names shown to people: case- and accent-insensitive, numbers in numeric order. */
export function compareNames(a: string, b: string): number {
  nameCollator ??= new Intl.Collator('en', { sensitivity: 'base', numeric: true });
  return nameCollator.compare(a, b);
}
