/**
 * CSV per RFC 4180: fields separated by commas, records ended by CRLF; a field that holds a comma, a
 * double quote, CR or LF is enclosed in double quotes, and its double quotes are doubled. Text is written
 * as UTF-8 unchanged, so names in any script survive.
 */
export function csvField(value: string | number | undefined | null): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export type CsvOptions = {
  /** Write values exactly as they are, formulas included (`--raw`). Default: formulas defused. */
  raw?: boolean;
};

export function csvRecord(
  fields: readonly (string | number | undefined | null)[],
  options: CsvOptions = {},
): string {
  const cells = options.raw ? fields : fields.map(defuseFormula);
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** The first characters that make Excel, LibreOffice or Google Sheets read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * CSV injection (OWASP "CSV Injection"): a group or person named `=HYPERLINK(…)` becomes a live formula
 * when the file is opened in a spreadsheet. The vendors' advice is a leading apostrophe, which makes the
 * cell text; the value stays readable, and `--raw` gives the exact bytes for other tools.
 */
export function defuseFormula<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}
