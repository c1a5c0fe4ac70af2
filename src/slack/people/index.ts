export { listUsersPage } from './load-workspace-users.js';
export type { ProfileLookup } from './profile-to-person-ref.js';
export {
  createSlackDirectory,
  type DirectoryLogger,
  type ResolvePeopleOptions,
  type SlackDirectory,
  type SlackDirectoryDeps,
} from './slack-directory.js';
export { isSlackPeopleError, SlackPeopleError } from './slack-people-error.js';
export { parseSlackUser, type SlackProfile } from './slack-profile.js';
