import type { GroupOwnerStore } from '../../approvals/owners/owner-store.js';
import { copyData } from './copy-data.js';
import type { FilePartContext } from './file-part.js';

/** Byte order, as PostgreSQL's `COLLATE "C"`: both stores list in the same order. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Group owners in the embedded store's live state. An edit reads, decides and writes inside one commit of
 * the queue (nothing interleaves), and its audit row goes to the history in the same commit.
 */
export function fileOwners({ data, write, markLive, queueAudit }: FilePartContext): GroupOwnerStore {
  return {
    async getOwners(groupId) {
      const owners = data().owners[groupId];
      return owners ? copyData(owners) : null;
    },

    async listGroupOwners() {
      return copyData(Object.values(data().owners).sort((a, b) => compareIds(a.groupId, b.groupId)));
    },

    async editOwners(groupId, edit) {
      return write((d) => {
        const before = d.owners[groupId] ?? null;
        const result = edit(copyData(before));
        if (!result) return { value: { before, after: before }, changed: false };
        if (result.next) d.owners[groupId] = copyData(result.next);
        else delete d.owners[groupId];
        queueAudit(d, copyData(result.audit));
        markLive();
        return {
          value: { before: copyData(before), after: copyData(result.next) },
          changed: true,
        };
      });
    },
  };
}
