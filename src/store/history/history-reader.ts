import type { AuditEntry, Change } from '../../approvals/types.js';
import { checkLimit, parseSince } from '../change-patch.js';
import { copyData } from '../lowdb/copy-data.js';
import type { HistoryLog, Location } from './history-log.js';
import { expandAudit, expandChange } from './history-records.js';

/**
 * Reads of the history that never load it whole: a change by id (one record plus its folded patches), the
 * newest audit rows (walking the index backwards), the export (streaming the segments).
 * `liveChange` finds a change that is not (yet) in the history, for audit rows that refer to its report.
 */
export function createHistoryReader(history: HistoryLog, liveChange: (id: string) => Change | null) {
  /**
   * The last changes read, as read and checked (before their patches). A change that has just finished is
   * read several times at once (its notification, announcement, owners' messages, approval card): for
   * 1,000 people each read was a file read, a parse and a full schema check, 5–10 ms of one synchronous
   * stretch, while Slack requests waited to be acknowledged. Records are never rewritten, so an entry
   * stays true; callers get a copy (they may change what they get).
   */
  const recent = new Map<string, { loc: Location; change: Change }>();
  /**
   * The newest audit rows as listed, by their place in the history. The Home tab lists the newest ten on
   * every redraw (each change a person makes redraws theirs, several times): with a year behind them each
   * row was a read of its change, a parse and full schema checks of up to 1,000 outcomes, and the ten changes
   * went round the eight kept above, so every redraw read them all again (about 100 ms of bot CPU, in pieces
   * that Slack's acknowledgements waited behind). A row is never rewritten, nor is its change's report (a
   * patch that names `report` skips this cache); callers get a copy.
   */
  const listed = new Map<string, AuditEntry>();

  async function getChange(id: string): Promise<Change | null> {
    const known = history.changes.get(id);
    if (!known) return null;
    const cached = recent.get(id);
    if (cached && sameLocation(cached.loc, known.loc)) return { ...copyData(cached.change), ...known.patch };
    const record = await history.read(known.loc);
    if (record.k !== 'change') throw new Error(`${history.where(known.loc)} is not a change`);
    const change = expandChange(record.change, history.where(known.loc));
    recent.delete(id);
    recent.set(id, { loc: known.loc, change });
    if (recent.size > RECENT_CHANGES) recent.delete(recent.keys().next().value as string);
    return { ...copyData(change), ...known.patch };
  }

  async function changeForAudit(id: string, cache: Map<string, Change | null>): Promise<Change | null> {
    if (cache.has(id)) return cache.get(id) ?? null;
    const change = liveChange(id) ?? (await getChange(id));
    // A few entries: an export walks the log in order, so rows of one change come close together.
    if (cache.size > 32) cache.delete(cache.keys().next().value as string);
    cache.set(id, change);
    return change;
  }

  async function readAudit(
    stored: Parameters<typeof expandAudit>[0],
    where: string,
    cache: Map<string, Change | null>,
  ): Promise<AuditEntry> {
    const reported = 'changeId' in stored && stored.outcomes === 'report';
    const change = reported ? await changeForAudit(stored.changeId, cache) : null;
    return expandAudit(stored, change, where);
  }

  /** A row that takes its outcomes from its change's report may go stale only if a patch rewrote the report. */
  function reportPatched(stored: Parameters<typeof expandAudit>[0]): boolean {
    if (!('changeId' in stored) || stored.outcomes !== 'report') return false;
    const patch = history.changes.get(stored.changeId)?.patch;
    return patch !== undefined && 'report' in patch;
  }

  function remember(key: string, entry: AuditEntry): void {
    listed.set(key, entry);
    if (listed.size > LISTED_AUDITS) listed.delete(listed.keys().next().value as string);
  }

  return {
    getChange,

    /** Newest first. */
    async listAudit({ groupId, limit }: { groupId?: string; limit?: number }): Promise<AuditEntry[]> {
      const max = checkLimit(limit) ?? Number.POSITIVE_INFINITY;
      const cache = new Map<string, Change | null>();
      const found: AuditEntry[] = [];
      for (let i = history.audits.length - 1; i >= 0 && found.length < max; i--) {
        const pointer = history.audits[i]!;
        if (groupId !== undefined && pointer.groupId !== groupId) continue;
        const key = locationKey(pointer.loc);
        const known = listed.get(key);
        if (known) {
          found.push(copyData(known));
          continue;
        }
        const record = await history.read(pointer.loc);
        if (record.k !== 'audit') throw new Error(`${history.where(pointer.loc)} is not an audit row`);
        const entry = await readAudit(record.audit, history.where(pointer.loc), cache);
        if (!reportPatched(record.audit)) remember(key, entry);
        found.push(copyData(entry));
      }
      return found;
    },

    /** Oldest first, streamed: memory holds one record at a time (and a few changes' reports). */
    async *exportAudit({ since }: { since?: string }): AsyncIterable<AuditEntry> {
      const from = parseSince(since)?.getTime();
      const cache = new Map<string, Change | null>();
      const seen = new Set<string>();
      for await (const { record, loc } of history.records()) {
        if (record.k !== 'audit' || seen.has(record.audit.id)) continue;
        seen.add(record.audit.id);
        if (from !== undefined && Date.parse(record.audit.at) < from) continue;
        yield await readAudit(record.audit, history.where(loc), cache);
      }
    },
  };
}

/** Changes kept as read (a few: those finishing now are read together, older ones rarely). */
const RECENT_CHANGES = 8;

/** Audit rows kept as listed: the Home tab's ten for a few people, and the first page of `/groups history`. */
const LISTED_AUDITS = 64;

function locationKey(loc: Location): string {
  return `${loc.s}:${loc.o}:${loc.n}`;
}

function sameLocation(a: Location, b: Location): boolean {
  return a.s === b.s && a.o === b.o && a.n === b.n;
}
