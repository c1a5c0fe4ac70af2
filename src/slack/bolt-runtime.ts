/**
 * The parts of Bolt the bot runs, taken from Bolt's own modules instead of its index. The index also loads
 * what the bot never uses (the Express and AWS Lambda receivers, with express, body-parser and their
 * dependencies: about 120 modules, 45 ms of every start; bench/README.md, "Start"). Every value here is
 * exactly what `@slack/bolt` exports under the same name, typed as the index types it; types still come from
 * `@slack/bolt`. Loaded with `require`: Bolt is CommonJS, and `require` gives its `module.exports` the same
 * way under Node and under the test runner (an ES import of it differs between the two).
 */
import { createRequire } from 'node:module';
import { deferRequire } from '../util/deferred-require.js';

type Bolt = typeof import('@slack/bolt');

const require = createRequire(import.meta.url);
const APP_MODULE = '@slack/bolt/dist/App.js';
const boltRequire = createRequire(require.resolve(APP_MODULE));

// Bolt's App requires its SocketModeReceiver, and its HTTPReceiver requires @slack/oauth, at the top of
// their modules, yet uses them only for options the bot never passes: the SocketModeReceiver when
// `socketMode: true` is given without a receiver (the bot always brings its own receiver, in Socket Mode
// src/slack/socket/socket-mode-receiver.ts), the InstallProvider of @slack/oauth when a client id and secret
// are given (the bot runs with one bot token). With them come @slack/socket-mode, ws, jsonwebtoken and
// their dependencies: about 180 modules, 60–90 ms of every start measured on this machine. They are loaded
// on first use instead, should anything ever use them (see src/util/deferred-require.ts).
deferRequire(boltRequire, './receivers/SocketModeReceiver.js');
deferRequire(createRequire(boltRequire.resolve('./receivers/HTTPReceiver.js')), '@slack/oauth');

const app = require(APP_MODULE) as { default: Bolt['App']; LogLevel: Bolt['LogLevel'] };
const responseAck = require('@slack/bolt/dist/receivers/HTTPResponseAck.js') as Pick<Bolt, 'HTTPResponseAck'>;

export const App = app.default;
export type App = InstanceType<typeof App>;
export const LogLevel = app.LogLevel;
export const HTTPModuleFunctions =
  require('@slack/bolt/dist/receivers/HTTPModuleFunctions.js') as Bolt['HTTPModuleFunctions'];
export const HTTPResponseAck = responseAck.HTTPResponseAck;
/** The `@slack/web-api` Bolt itself depends on (resolved from Bolt's folder), as Bolt re-exports it. */
export const webApi = boltRequire('@slack/web-api') as Bolt['webApi'];
