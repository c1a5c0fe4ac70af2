import { randomBytes } from 'node:crypto';
import { validateView } from '../block-validation.js';
import type { FakeSlackView } from '../fake-slack-types.js';
import type { FakeContext, MethodHandler, MethodResult } from './context.js';
import { fail, str } from './context.js';

/** Slack allows a stack of three modals: the opened one and two pushes. */
const MAX_STACK = 3;

function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomBytes(6).toString('hex')}`;
}

/** What Slack sends back: the view as given, plus the fields Slack fills in (shaped like Bolt's ViewOutput). */
export function viewOutput(ctx: FakeContext, stored: FakeSlackView): Record<string, unknown> {
  const v = stored.view as Record<string, unknown>;
  return {
    callback_id: '',
    private_metadata: '',
    external_id: '',
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: null,
    ...v,
    id: stored.id,
    team_id: ctx.teamId,
    app_id: ctx.appId,
    app_installed_team_id: ctx.teamId,
    bot_id: ctx.botId,
    hash: stored.hash,
    root_view_id: stored.rootViewId,
    previous_view_id: stored.previousViewId,
    state: { values: {} },
  };
}

function checked(args: Record<string, unknown>): MethodResult | null {
  const v = validateView(args.view);
  return v.ok ? null : fail(v.error, v.messages);
}

function stackDepth(ctx: FakeContext, view: FakeSlackView): number {
  let depth = 1;
  let current = view;
  while (current.previousViewId) {
    const prev = ctx.views.get(current.previousViewId);
    if (!prev) break;
    depth += 1;
    current = prev;
  }
  return depth;
}

export const open: MethodHandler = (ctx, args) => {
  const trigger = ctx.triggers.consume(args.trigger_id);
  if (!trigger.ok) return fail(trigger.error);
  const problem = checked(args);
  if (problem) return problem;
  const id = ctx.ids.next('V');
  const stored: FakeSlackView = {
    id,
    hash: newHash(),
    rootViewId: id,
    previousViewId: null,
    view: args.view,
    updates: 0,
  };
  ctx.views.put(stored);
  return { ok: true, view: viewOutput(ctx, stored) };
};

/** The trigger must come from inside a modal (`newTriggerId(viewId)`) for the stack to be known. */
export const push: MethodHandler = (ctx, args) => {
  const trigger = ctx.triggers.consume(args.trigger_id);
  if (!trigger.ok) return fail(trigger.error);
  const problem = checked(args);
  if (problem) return problem;
  const parent = trigger.viewId ? ctx.views.get(trigger.viewId) : undefined;
  if (parent && stackDepth(ctx, parent) >= MAX_STACK) return fail('push_limit_reached');
  const id = ctx.ids.next('V');
  const stored: FakeSlackView = {
    id,
    hash: newHash(),
    rootViewId: parent?.rootViewId ?? id,
    previousViewId: parent?.id ?? null,
    view: args.view,
    updates: 0,
  };
  ctx.views.put(stored);
  return { ok: true, view: viewOutput(ctx, stored) };
};

export const update: MethodHandler = (ctx, args) => {
  const viewId = str(args.view_id);
  const externalId = str(args.external_id);
  if (!viewId && !externalId)
    return fail('invalid_arguments', ['[ERROR] view_id or external_id is required']);
  const existing = viewId
    ? ctx.views.get(viewId)
    : ctx.views.all().find((v) => v.view?.external_id === externalId);
  if (!existing) return fail('not_found');
  const hash = str(args.hash);
  if (hash && hash !== existing.hash) return fail('hash_conflict');
  const problem = checked(args);
  if (problem) return problem;
  const stored: FakeSlackView = {
    ...existing,
    hash: newHash(),
    view: args.view,
    updates: existing.updates + 1,
  };
  ctx.views.put(stored);
  return { ok: true, view: viewOutput(ctx, stored) };
};

/** Home tab: one view per user, replaced on every publish. */
export const publish: MethodHandler = (ctx, args) => {
  const userId = str(args.user_id);
  if (!userId || !ctx.directory.users.has(userId)) return fail('user_not_found');
  const problem = checked(args);
  if (problem) return problem;
  const existing = ctx.views.homeOf(userId);
  const hash = str(args.hash);
  if (existing && hash && hash !== existing.hash) return fail('hash_conflict');
  const id = existing?.id ?? ctx.ids.next('V');
  const stored: FakeSlackView = {
    id,
    hash: newHash(),
    rootViewId: id,
    previousViewId: null,
    userId,
    view: args.view,
    updates: existing ? existing.updates + 1 : 0,
  };
  ctx.views.put(stored);
  return { ok: true, view: viewOutput(ctx, stored) };
};
