import type { FakeResponse } from './format.js';
import type { FakeState } from './state.js';

export type RouteContext = {
  state: FakeState;
  query: Record<string, string>;
  /** The parsed JSON body; `undefined` when there was none, the raw text when it was not JSON. */
  body: unknown;
  bodyIsJson: boolean;
  /** Captures of the route pattern (e.g. the `{id}`). */
  params: string[];
  /** User ids whose POSTs are refused with a message (see `refuseUser`). */
  refusedUsers: ReadonlyMap<string, string>;
};

export type RouteHandler = (ctx: RouteContext) => FakeResponse;
