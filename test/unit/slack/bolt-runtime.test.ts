import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as runtime from '../../../src/slack/bolt-runtime.js';

const require = createRequire(import.meta.url);
const boltRequire = createRequire(require.resolve('@slack/bolt/dist/App.js'));
const loaded = (specifier: string) => require.cache[boltRequire.resolve(specifier)] !== undefined;

describe("Bolt's runtime parts", () => {
  it("are what @slack/bolt's index exports, and Bolt's unused receiver parts load only on use", () => {
    // What the bot never uses stays unloaded: Bolt's own Socket Mode receiver and the OAuth installer.
    expect(loaded('@slack/socket-mode')).toBe(false);
    expect(loaded('jsonwebtoken')).toBe(false);
    const bolt = require('@slack/bolt') as typeof import('@slack/bolt');
    expect(runtime.App).toBe(bolt.App);
    expect(runtime.LogLevel).toBe(bolt.LogLevel);
    expect(runtime.HTTPResponseAck).toBe(bolt.HTTPResponseAck);
    expect(runtime.HTTPModuleFunctions.extractRetryNumFromHTTPRequest).toBe(
      bolt.HTTPModuleFunctions.extractRetryNumFromHTTPRequest,
    );
    expect(runtime.webApi.WebClient).toBe(bolt.webApi.WebClient);
    // The index reaches them through the stand-ins: the real classes, loaded now.
    expect(bolt.SocketModeReceiver.name).toBe('SocketModeReceiver');
    expect(loaded('@slack/socket-mode')).toBe(true);
    expect(typeof (require('@slack/oauth') as typeof import('@slack/oauth')).InstallProvider).toBe(
      'function',
    );
  });
});
