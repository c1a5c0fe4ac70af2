/**
 * Store URLs carry database passwords. Anything shown to people or logs goes through these two helpers:
 * the password (in the userinfo or a `password=` parameter) becomes `***`.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Unparsable: even the scheme may be mistyped, so show nothing that could be a secret.
    return '(an unparsable URL)';
  }
  if (parsed.password) parsed.password = '***';
  for (const key of [...parsed.searchParams.keys()]) {
    if (/pass|secret|key/i.test(key)) parsed.searchParams.set(key, '***');
  }
  return parsed.toString();
}

/** Removes every form of the URL's password from a message (drivers sometimes echo parts of the URL). */
export function scrubSecrets(message: string, url: string): string {
  const secrets = new Set<string>();
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      secrets.add(parsed.password);
      secrets.add(decodeURIComponent(parsed.password));
    }
    for (const [key, value] of parsed.searchParams) {
      if (/pass|secret|key/i.test(key) && value) secrets.add(value);
    }
  } catch {
    // Nothing parsable to scrub by value; the callers never include an unparsable URL in messages.
  }
  let out = message;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***');
  return out;
}
