/**
 * The parts of undici the bot uses, taken from undici's own modules instead of its index. The index loads
 * all of undici (about 110 modules: fetch, caches, mocks, proxies, EventSource, WebSocket, cookies, which
 * also pulls in Node's own bundled copy of undici through `globalThis.Headers`): measured on this machine
 * about 80 ms of every start against about 25 ms for the parts below (bench/README.md, "Start"). Every
 * value is what `undici` exports under the same name, typed as the index types it.
 *
 * Loaded with `require`: undici is CommonJS (no `exports` map, so its files may be required by path).
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

// As the index does on load: the process-wide dispatcher is undici's Agent, which Node's global fetch
// (file downloads, posts to response_urls) then uses too. Required first, so that it is set at once.
require('undici/lib/global.js');

export const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
export type Agent = Undici.Agent;
export type Dispatcher = Undici.Dispatcher;

const util = require('undici/lib/core/util.js') as { parseURL(url: string | URL): URL };
const dispatchRequest = require('undici/lib/api/api-request.js') as (
  this: Undici.Dispatcher,
  options: Undici.Dispatcher.RequestOptions,
) => Promise<Undici.Dispatcher.ResponseData>;

export type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & {
  method?: Undici.Dispatcher.HttpMethod;
  /** Always named: nothing of the bot sends through the global dispatcher. */
  dispatcher: Undici.Dispatcher;
};

/**
 * undici's `request(url, options)` for a whole URL, as its index builds it (`makeDispatcher`): the URL
 * checked and split into origin and path, the method GET unless a body makes it PUT.
 */
export function request(url: string | URL, options: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  const parsed = util.parseURL(url);
  return dispatchRequest.call(dispatcher, {
    ...rest,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: rest.method || (rest.body ? 'PUT' : 'GET'),
  });
}

type WebSocketParts = Pick<typeof Undici, 'WebSocket' | 'ping'>;

/**
 * undici's WebSocket and `ping`, loaded on first use: only Socket Mode opens WebSockets, and in HTTP mode
 * their modules (about 25, 20 ms) would load at every start for nothing.
 */
export function webSocketParts(): WebSocketParts {
  return require('undici/lib/web/websocket/websocket.js') as WebSocketParts;
}
