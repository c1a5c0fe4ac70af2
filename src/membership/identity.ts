import { AppError } from './errors.js';
import { pickUserForEmail, type UserMissReason } from './pick-user.js';
import type { IdentityLink, IdentityLinkStore, KantataGateway, LinkAuditEntry } from './ports.js';
import { emailDomain, isKantataId, isPlausibleEmail } from './text.js';
import type { KantataUser } from './types.js';

/** Who a Slack user is in Kantata, decided at the moment of action (SPEC §2). */
export type Identity =
  | { linked: true; user: KantataUser; via: 'link' | 'email'; isAdmin: boolean }
  | {
      linked: false;
      reason:
        | 'guest'
        | 'bot'
        | 'no_email'
        | 'email_domain_not_allowed'
        | 'no_kantata_user'
        | 'several_matches'
        | 'disabled'
        | 'link_target_missing';
      detail?: string;
    };

/** The Slack facts identification needs; the transport reads them from `users.info`. */
export type SlackPerson = { slackUserId: string; email?: string; isGuest?: boolean; isBot?: boolean };

export type LinkTarget = { kind: 'email'; email: string } | { kind: 'kantata_id'; id: string };

export type LinkResult =
  | { ok: true; user: KantataUser; link: IdentityLink }
  | { ok: false; reason: UserMissReason | 'invalid'; detail: string };

/** Who asks for a link, as established at the moment of the command (and named so in the audit row). */
export type LinkActor = {
  slackUserId: string;
  isAdmin: boolean;
  isGuest?: boolean;
  kantataUserId?: string;
  name?: string;
};

export type IdentityService = {
  /** Explicit link first, else the Slack email; guests and bots are never linked. Cached ≤ adminCacheTtlMs. */
  identify(person: SlackPerson): Promise<Identity>;
  /** Refuses (`not_authorized`) anyone but an administrator: links decide who acts as whom (SPEC §2). */
  checkMayLink(by: LinkActor): void;
  /** Links a Slack user to an existing, active Kantata user (`/groups link`); administrators only; audited. */
  link(slackUserId: string, target: LinkTarget, by: LinkActor): Promise<LinkResult>;
  /** Removes an explicit link (audited); false when there was none. Administrators only. */
  unlink(slackUserId: string, by: LinkActor): Promise<boolean>;
  /** Forgets what is cached about one Slack user (or everyone). */
  forget(slackUserId?: string): void;
};

export type IdentityServiceDeps = {
  kantata: KantataGateway;
  links: IdentityLinkStore;
  /** IDENTITY_EMAIL_DOMAINS: email matching only for these domains; empty or absent = any domain. */
  emailDomains?: readonly string[];
  /** How long a Slack user's Kantata user and admin status are reused. At most 60 s (SPEC §2). */
  adminCacheTtlMs?: number;
  now?: () => number;
  /** Ids of audit rows; unguessable by default. */
  newId?: () => string;
};

/** Builds the Slack → Kantata identity service over the gateway and the link store. */
export function createIdentityService(deps: IdentityServiceDeps): IdentityService {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  const ttl = Math.min(deps.adminCacheTtlMs ?? 60_000, 60_000);
  const domains = new Set(
    (deps.emailDomains ?? []).map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter(Boolean),
  );
  const cache = new Map<string, { identity: Identity; email: string | undefined; at: number }>();
  const miss = (reason: Extract<Identity, { linked: false }>['reason'], detail?: string): Identity =>
    detail === undefined ? { linked: false, reason } : { linked: false, reason, detail };
  const found = (user: KantataUser, via: 'link' | 'email'): Identity => ({
    linked: true,
    user,
    via,
    isAdmin: !user.disabled && user.isAdministrator,
  });

  async function lookUp(person: SlackPerson): Promise<Identity> {
    const link = await deps.links.getLink(person.slackUserId);
    if (link) {
      const [user] = (await deps.kantata.findUsersByIds([link.kantataUserId])).filter(
        (u) => u.id === link.kantataUserId,
      );
      if (!user) return miss('link_target_missing', `id:${link.kantataUserId}`);
      return user.disabled ? miss('disabled', `id:${user.id}`) : found(user, 'link');
    }
    const email = person.email?.trim();
    if (!email || !isPlausibleEmail(email)) return miss('no_email');
    if (domains.size > 0 && !domains.has(emailDomain(email)))
      return miss('email_domain_not_allowed', emailDomain(email));
    const pick = pickUserForEmail(email, await deps.kantata.findUsersByEmails([email]));
    return pick.ok ? found(pick.user, 'email') : miss(pick.reason, email);
  }

  async function resolveTarget(
    target: LinkTarget,
  ): Promise<KantataUser | Extract<LinkResult, { ok: false }>> {
    if (target.kind === 'email') {
      if (!isPlausibleEmail(target.email))
        return { ok: false, reason: 'invalid', detail: 'Not a valid email address.' };
      const pick = pickUserForEmail(
        target.email,
        await deps.kantata.findUsersByEmails([target.email.trim()]),
      );
      return pick.ok ? pick.user : { ok: false, reason: pick.reason, detail: target.email.trim() };
    }
    const id = target.id.trim();
    if (!isKantataId(id)) return { ok: false, reason: 'invalid', detail: 'Not a valid Kantata id.' };
    const user = (await deps.kantata.findUsersByIds([id])).find((u) => u.id === id);
    if (!user) return { ok: false, reason: 'no_kantata_user', detail: `id:${id}` };
    return user.disabled ? { ok: false, reason: 'disabled', detail: `id:${id}` } : user;
  }

  /** The audit row of a link or unlink by `by`, at this moment. */
  function auditRow(
    event: LinkAuditEntry['event'],
    by: LinkActor,
    about: Pick<LinkAuditEntry, 'slackUserId' | 'kantataUserId' | 'kantataUserName' | 'kantataUserEmail'>,
  ): LinkAuditEntry {
    const actor = {
      slackUserId: by.slackUserId,
      ...(by.kantataUserId === undefined ? {} : { kantataUserId: by.kantataUserId }),
      ...(by.name === undefined ? {} : { name: by.name }),
    };
    return { id: newId(), at: new Date(now()).toISOString(), event, actor, ...about };
  }

  function checkMayLink(by: LinkActor): void {
    if (by.isAdmin && !by.isGuest) return;
    throw new AppError('not_authorized', 'Only an administrator can link or unlink people', {
      reason: 'admins_only_link',
    });
  }

  return {
    async identify(person) {
      // Guests and bots never act, whatever links exist (SPEC §2); no Kantata call needed to say so.
      if (person.isBot) return miss('bot');
      if (person.isGuest) return miss('guest');
      const cached = cache.get(person.slackUserId);
      if (cached && now() - cached.at < ttl && cached.email === person.email) return cached.identity;
      const identity = await lookUp(person);
      cache.set(person.slackUserId, { identity, email: person.email, at: now() });
      return identity;
    },

    checkMayLink,

    async link(slackUserId, target, by) {
      checkMayLink(by);
      const resolved = await resolveTarget(target);
      if ('ok' in resolved) return resolved;
      const link: IdentityLink = {
        slackUserId,
        kantataUserId: resolved.id,
        linkedBy: by.slackUserId,
        linkedAt: new Date(now()).toISOString(),
      };
      const audit = auditRow('linked', by, {
        slackUserId,
        kantataUserId: resolved.id,
        kantataUserName: resolved.name,
        kantataUserEmail: resolved.email,
      });
      await deps.links.setLink(link, audit);
      cache.delete(slackUserId);
      return { ok: true, user: resolved, link };
    },

    async unlink(slackUserId, by) {
      checkMayLink(by);
      const removed = await deps.links.removeLink(slackUserId, (link) =>
        auditRow('unlinked', by, { slackUserId, kantataUserId: link.kantataUserId }),
      );
      cache.delete(slackUserId);
      return removed;
    },

    forget(slackUserId) {
      if (slackUserId === undefined) cache.clear();
      else cache.delete(slackUserId);
    },
  };
}
