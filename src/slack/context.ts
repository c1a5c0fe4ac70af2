import type { WebClient } from '@slack/web-api';
import type { ChangeService } from '../approvals/change-service.js';
import type { OwnerService } from '../approvals/owners/owner-service.js';
import type { Clock, Store } from '../approvals/ports.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { IdentityService } from '../membership/identity.js';
import type { MembershipService } from '../membership/membership-service.js';
import type { HomeTab } from './home/home-tab-type.js';
import type { SlackDirectory } from './people/slack-directory.js';
import type { ResponseUrlUses } from './web-api/response-url-uses.js';
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
  /** Group owners (SPEC §4.8). */
  owners: OwnerService;
  directory: SlackDirectory;
  /** The Home tab: drawn on `app_home_opened`, and again for whom a change concerns. */
  home: HomeTab;
  work: WorkTracker;
  /** How many posts each response_url this replica answered through has left (Slack takes five). */
  responseUrls: ResponseUrlUses;
  /** The app's Web API client, for background jobs that have no listener `client`. */
  client: WebClient;
};
