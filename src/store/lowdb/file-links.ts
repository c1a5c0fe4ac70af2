import type { IdentityLink, IdentityLinkStore } from '../../membership/ports.js';
import { copyData } from './copy-data.js';
import type { FilePartContext } from './file-part.js';

/** Identity links in the embedded store's live state, each written in the commit of its audit row. */
export function fileLinks({ data, write, markLive, queueAudit }: FilePartContext): IdentityLinkStore {
  return {
    async getLink(slackUserId) {
      const link = data().identityLinks[slackUserId];
      return link ? copyData(link) : null;
    },

    async setLink(link: IdentityLink, audit) {
      const copy = copyData(link);
      const row = copyData(audit);
      await write((d) => {
        d.identityLinks[copy.slackUserId] = copy;
        queueAudit(d, row);
        markLive();
        return { value: undefined, changed: true };
      });
    },

    async removeLink(slackUserId, audit) {
      return write((d) => {
        const removed = d.identityLinks[slackUserId];
        if (!removed) return { value: false, changed: false };
        delete d.identityLinks[slackUserId];
        queueAudit(d, copyData(audit(copyData(removed))));
        markLive();
        return { value: true, changed: true };
      });
    },
  };
}
