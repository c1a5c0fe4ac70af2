import type { App } from '@slack/bolt';
import { describe, expect, it, vi } from 'vitest';
import { createActionRouter } from '../../../../src/slack/listeners/action-router.js';

/** An app that keeps the one action listener the router registers. */
function fakeApp() {
  const registered: { constraints: unknown; listener: (args: unknown) => Promise<void> }[] = [];
  const app = {
    action: (constraints: unknown, listener: (args: unknown) => Promise<void>) =>
      registered.push({ constraints, listener }),
    view: () => undefined,
    event: () => undefined,
  } as unknown as App;
  return { app, registered };
}

describe('the button router', () => {
  it('registers one Bolt listener for every action and calls the listener of the action_id with Bolt’s arguments', async () => {
    const { app, registered } = fakeApp();
    const routes = createActionRouter(app);
    const apply = vi.fn(async () => undefined);
    const cancel = vi.fn(async () => undefined);
    routes.action('change_apply', apply);
    routes.action('change_cancel', cancel);
    expect(registered).toHaveLength(1);
    expect(registered[0]!.constraints).toEqual({});
    const args = { payload: { action_id: 'change_apply', value: 'c1' }, ack: vi.fn() };
    await registered[0]!.listener(args);
    expect(apply).toHaveBeenCalledWith(args);
    expect(cancel).not.toHaveBeenCalled();
  });

  it('leaves a click without a listener, or a payload without an action_id, to nobody', async () => {
    const { app, registered } = fakeApp();
    const routes = createActionRouter(app);
    const apply = vi.fn(async () => undefined);
    routes.action('change_apply', apply);
    await registered[0]!.listener({ payload: { action_id: 'someone_elses_button' } });
    await registered[0]!.listener({ payload: { callback_id: 'change_apply' } });
    expect(apply).not.toHaveBeenCalled();
  });

  it('refuses two listeners for one action_id, and a pattern instead of an action_id', () => {
    const routes = createActionRouter(fakeApp().app);
    routes.action('change_apply', async () => undefined);
    expect(() => routes.action('change_apply', async () => undefined)).toThrow(/two listeners/);
    expect(() => routes.action(/change_.*/, async () => undefined)).toThrow(/action_id/);
  });

  it('passes a listener’s failure on to Bolt', async () => {
    const { app, registered } = fakeApp();
    createActionRouter(app).action('change_apply', async () => {
      throw new Error('listener failed');
    });
    await expect(registered[0]!.listener({ payload: { action_id: 'change_apply' } })).rejects.toThrow(
      'listener failed',
    );
  });
});
