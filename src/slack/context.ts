import type { WebClient } from '@slack/web-api';
import type { ChangeService } from '../approvals/change-service.js';
import type { Clock, Store } from '../approvals/ports.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { IdentityService } from '../membership/identity.js';
import type { MembershipService } from '../membership/membership-service.js';
import type { SlackDirectory } from './people/slack-directory.js';
import type { WorkTracker } from './work-tracker.js';

/** What a listener may use. Built once by `createSlackApp`; listeners never read `process.env`. */
export type SlackContext = {
  config: Config;
  logger: Logger;
  clock: Clock;
  store: Store;
  membership: MembershipService;
  identity: IdentityService;
  changes: ChangeService;
  directory: SlackDirectory;
  work: WorkTracker;
  /** The app's Web API client, for background jobs that have no listener `client`. */
  client: WebClient;
};
