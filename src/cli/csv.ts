/**
 * CSV per RFC 4180: fields separated by commas, records ended by CRLF; a field that holds a comma, a
 * double quote, CR or LF is enclosed in double quotes, and its double quotes are doubled. Text is written
 * as UTF-8 unchanged, so names in any script survive.
 */
export function csvField(value: string | number | undefined | null): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(fields: readonly (string | number | undefined | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
