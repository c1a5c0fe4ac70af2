import type { FileStore } from '../files.js';
import type { MessageStore, ViewStore } from '../message-store.js';
import type { Directory, IdSource, Triggers, TsSource } from '../workspace.js';

/** Everything a Web API method handler may read or change. */
export type FakeContext = {
  teamId: string;
  botUserId: string;
  botId: string;
  appId: string;
  ids: IdSource;
  ts: TsSource;
  directory: Directory;
  triggers: Triggers;
  messages: MessageStore;
  views: ViewStore;
  dmChannelOf(userId: string): string;
  /** Set once the server knows its address. */
  files?: FileStore;
};

/** A Web API answer; the server sends it with HTTP 200 like Slack does. */
export type MethodResult = { ok: boolean } & Record<string, unknown>;

export type MethodHandler = (ctx: FakeContext, args: Record<string, unknown>) => MethodResult;

export function fail(error: string, messages?: string[]): MethodResult {
  return messages && messages.length > 0
    ? { ok: false, error, response_metadata: { messages } }
    : { ok: false, error };
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Form fields arrive as strings ("200", "true"); JSON bodies as numbers and booleans. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}
