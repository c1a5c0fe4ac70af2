export type { ValidationResult } from './block-validation.js';
export { validateMessageBlocks, validateView } from './block-validation.js';
export { type FakeSlack, startFakeSlack } from './fake-slack.js';
export type {
  FakeSlackChannel,
  FakeSlackEphemeral,
  FakeSlackMessage,
  FakeSlackOptions,
  FakeSlackUser,
  FakeSlackView,
  NewFakeSlackUser,
  RecordedCall,
  RecordedResponse,
} from './fake-slack-types.js';
export type { MessageStore, ViewStore } from './message-store.js';
export * from './signed-requests.js';
