import type { Change } from '../../approvals/types.js';

/**
 * The Home tab as listeners see it (built by `createHomeTab`). In a file of its own: the Slack context
 * names it, and the Home tab's implementation needs the context.
 */
export type HomeTab = {
  /** `app_home_opened`: publish this person's Home now (before anyone merely refreshed). */
  opened(userId: string): void;
  /** Publish these people's Homes again soon. */
  refresh(userIds: readonly string[]): void;
  /** Something in this change moved: publish again for everyone whose Home shows it. */
  changed(change: Change): void;
  /** Resolves once nothing is waiting (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
};
