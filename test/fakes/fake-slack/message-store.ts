import type { FakeSlackEphemeral, FakeSlackMessage, FakeSlackView } from './fake-slack-types.js';

/** What the workspace's channels currently show: chat.postMessage creates, chat.update replaces. */
export class MessageStore {
  private readonly byKey = new Map<string, FakeSlackMessage>();
  /** chat.postEphemeral deliveries, in order. They cannot be updated through the API. */
  readonly ephemerals: FakeSlackEphemeral[] = [];

  constructor(private readonly dmChannelOf: (userId: string) => string) {}

  /** @internal used by the chat.* handlers */
  put(message: FakeSlackMessage): void {
    this.byKey.set(key(message.channel, message.ts), message);
  }

  /** Messages in posting order (top-level and replies). */
  all(): FakeSlackMessage[] {
    return [...this.byKey.values()];
  }

  get(channel: string, ts: string): FakeSlackMessage | undefined {
    return this.byKey.get(key(this.channel(channel), ts));
  }

  /** Top-level messages of a channel; a user id means that user's DM with the bot. */
  inChannel(channel: string): FakeSlackMessage[] {
    const c = this.channel(channel);
    return this.all().filter((m) => m.channel === c && m.threadTs === undefined);
  }

  /** Replies in a thread, oldest first. */
  replies(channel: string, threadTs: string): FakeSlackMessage[] {
    const c = this.channel(channel);
    return this.all().filter((m) => m.channel === c && m.threadTs === threadTs);
  }

  /** Direct messages the bot sent to a user (top-level). */
  dmsTo(userId: string): FakeSlackMessage[] {
    return this.inChannel(this.dmChannelOf(userId));
  }

  get size(): number {
    return this.byKey.size;
  }

  /** @internal */
  clear(): void {
    this.byKey.clear();
    this.ephemerals.length = 0;
  }

  private channel(channel: string): string {
    return /^[UW]/.test(channel) ? this.dmChannelOf(channel) : channel;
  }
}

function key(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

/** Open modals and published Home tabs, by view id. */
export class ViewStore {
  private readonly byId = new Map<string, FakeSlackView>();

  /** @internal */
  put(view: FakeSlackView): void {
    // Re-inserting keeps the Map in last-touched order, which byCallbackId relies on.
    this.byId.delete(view.id);
    this.byId.set(view.id, view);
  }

  get(viewId: string): FakeSlackView | undefined {
    return this.byId.get(viewId);
  }

  all(): FakeSlackView[] {
    return [...this.byId.values()];
  }

  /** The latest view (opened, pushed, updated or published) with this callback_id. */
  byCallbackId(callbackId: string): FakeSlackView | undefined {
    return this.all()
      .filter((v) => v.view?.callback_id === callbackId)
      .at(-1);
  }

  /** The Home tab currently published for a user. */
  homeOf(userId: string): FakeSlackView | undefined {
    return this.all().find((v) => v.userId === userId);
  }

  /** @internal */
  clear(): void {
    this.byId.clear();
  }
}
