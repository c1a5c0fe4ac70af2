/**
 * The parts of Bolt the bot runs, taken from Bolt's own modules instead of its index. The index also loads
 * what the bot never uses (the Express and AWS Lambda receivers, with express, body-parser and their
 * dependencies: about 120 modules, 45 ms of every start; bench/README.md, "Start"). Every value here is
 * exactly what `@slack/bolt` exports under the same name, typed as the index types it; types still come from
 * `@slack/bolt`. Loaded with `require`: Bolt is CommonJS, and `require` gives its `module.exports` the same
 * way under Node and under the test runner (an ES import of it differs between the two).
 */
import { createRequire } from 'node:module';

type Bolt = typeof import('@slack/bolt');

const require = createRequire(import.meta.url);
const APP_MODULE = '@slack/bolt/dist/App.js';

const app = require(APP_MODULE) as { default: Bolt['App']; LogLevel: Bolt['LogLevel'] };
const receiver = require('@slack/bolt/dist/receivers/HTTPReceiver.js') as { default: Bolt['HTTPReceiver'] };
const verify = require('@slack/bolt/dist/receivers/verify-request.js') as Pick<Bolt, 'isValidSlackRequest'>;

export const App = app.default;
export type App = InstanceType<typeof App>;
export const LogLevel = app.LogLevel;
export const HTTPReceiver = receiver.default;
export type HTTPReceiver = InstanceType<typeof HTTPReceiver>;
export const HTTPModuleFunctions =
  require('@slack/bolt/dist/receivers/HTTPModuleFunctions.js') as Bolt['HTTPModuleFunctions'];
export const isValidSlackRequest = verify.isValidSlackRequest;
/** The `@slack/web-api` Bolt itself depends on (resolved from Bolt's folder), as Bolt re-exports it. */
export const webApi = createRequire(require.resolve(APP_MODULE))('@slack/web-api') as Bolt['webApi'];
