import { randomBytes } from 'node:crypto';
import type { FakeSlackChannel, FakeSlackUser, NewFakeSlackUser } from './fake-slack-types.js';

/** Slack-looking ids: a prefix letter and 10 upper-case base-36 characters, unique per fake. */
export class IdSource {
  private counter = 0;

  next(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter.toString(36).toUpperCase().padStart(10, '0')}`;
  }
}

/**
 * Workspace members and user groups. `users.list` pages over `order`, so insertion order is
 * the listing order and a bulk add of 5,000 is a loop over plain objects.
 */
export class Directory {
  readonly users = new Map<string, FakeSlackUser>();
  readonly order: FakeSlackUser[] = [];
  readonly usergroups = new Map<string, { handle: string; userIds: string[] }>();
  readonly channels = new Map<string, FakeSlackChannel>();

  constructor(private readonly ids: IdSource) {}

  add(u: NewFakeSlackUser): FakeSlackUser {
    const id = u.id ?? this.ids.next('U');
    if (this.users.has(id)) throw new Error(`fake-slack: user ${id} already exists`);
    const name = u.name ?? id.toLowerCase();
    const user: FakeSlackUser = {
      id,
      name,
      realName: u.realName ?? name,
      displayName: u.displayName ?? '',
      ...(u.email === undefined ? {} : { email: u.email }),
      isBot: u.isBot ?? false,
      deleted: u.deleted ?? false,
      isRestricted: u.isRestricted ?? false,
      isUltraRestricted: u.isUltraRestricted ?? false,
      isAdmin: u.isAdmin ?? false,
      tz: u.tz ?? 'America/Los_Angeles',
    };
    this.users.set(id, user);
    this.order.push(user);
    return user;
  }

  byEmail(email: string): FakeSlackUser | undefined {
    const wanted = email.toLowerCase();
    return this.order.find((u) => u.email?.toLowerCase() === wanted);
  }
}

/** trigger_ids: usable once, within the TTL, like Slack's. */
export class Triggers {
  private readonly issued = new Map<string, { expiresAt: number; used: boolean; viewId?: string }>();

  constructor(private readonly ttlMs: number) {}

  issue(viewId?: string): string {
    const id = `${Date.now()}.${randomBytes(6).readUIntBE(0, 6)}.${randomBytes(8).toString('hex')}`;
    this.issued.set(id, { expiresAt: Date.now() + this.ttlMs, used: false, ...(viewId ? { viewId } : {}) });
    return id;
  }

  /** Consumes the trigger. Returns Slack's error code, or the view the trigger came from (for views.push). */
  consume(triggerId: unknown): { ok: true; viewId?: string } | { ok: false; error: string } {
    if (typeof triggerId !== 'string' || triggerId === '') return { ok: false, error: 'invalid_arguments' };
    const t = this.issued.get(triggerId);
    if (!t) return { ok: false, error: 'invalid_trigger_id' };
    if (t.used || Date.now() > t.expiresAt) return { ok: false, error: 'expired_trigger_id' };
    t.used = true;
    return t.viewId ? { ok: true, viewId: t.viewId } : { ok: true };
  }
}

/** Message timestamps: unique and increasing, in Slack's `seconds.micros` form. */
export class TsSource {
  private last = 0;

  next(): string {
    const micros = Math.max(Date.now() * 1000, this.last + 1);
    this.last = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }
}
