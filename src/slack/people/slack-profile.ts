import * as z from 'zod';

/** What the bot needs to know about a Slack user, reduced from Slack's user object. */
export type SlackProfile = {
  id: string;
  /** Human-readable: display name, else real name, else the handle, else the id. */
  name: string;
  email?: string;
  isBot: boolean;
  /** Deactivated in Slack (`deleted`). */
  deleted: boolean;
  /** Multi-channel (`is_restricted`) or single-channel (`is_ultra_restricted`) guest. */
  isGuest: boolean;
  /**
   * A user of another organization, met in a Slack Connect channel (`is_stranger`): that organization
   * controls the user's email, so it is never matched to a Kantata user.
   */
  isExternal?: boolean;
  /** The user's own workspace (`team_id`), when Slack says. */
  teamId?: string;
  /** IANA time zone (`tz`): `--until <date>` ends at the end of that day there, times are shown in it. */
  tz?: string;
};

/** The fields of Slack's user object we read (users.list members, users.info `user`); the rest is ignored. */
const SlackUserSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  real_name: z.string().optional(),
  deleted: z.boolean().optional(),
  is_bot: z.boolean().optional(),
  is_restricted: z.boolean().optional(),
  is_ultra_restricted: z.boolean().optional(),
  is_stranger: z.boolean().optional(),
  team_id: z.string().optional(),
  tz: z.string().optional(),
  profile: z
    .object({
      email: z.string().optional(),
      display_name: z.string().optional(),
      real_name: z.string().optional(),
    })
    .optional(),
});

/** Slackbot is listed with `is_bot: false`, yet it is no person anyone can add to a group. */
const SLACKBOT_ID = 'USLACKBOT';

/** Parses one Slack user object; null when it does not even carry an id. */
export function parseSlackUser(raw: unknown): SlackProfile | null {
  const parsed = SlackUserSchema.safeParse(raw);
  if (!parsed.success) return null;
  const u = parsed.data;
  const name =
    nonEmpty(u.profile?.display_name) ??
    nonEmpty(u.profile?.real_name) ??
    nonEmpty(u.real_name) ??
    nonEmpty(u.name);
  const email = nonEmpty(u.profile?.email);
  return {
    id: u.id,
    name: name ?? u.id,
    ...(email === undefined ? {} : { email }),
    isBot: u.is_bot === true || u.id === SLACKBOT_ID,
    deleted: u.deleted === true,
    isGuest: u.is_restricted === true || u.is_ultra_restricted === true,
    isExternal: u.is_stranger === true,
    ...(u.team_id ? { teamId: u.team_id } : {}),
    ...(u.tz && isTimeZone(u.tz) ? { tz: u.tz } : {}),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** IANA has about 600 names; anything beyond is odd input, checked each time rather than kept. */
const MAX_TIME_ZONES_KEPT = 1_000;
const timeZones = new Map<string, boolean>();

/** Slack's `tz` is an IANA name; one this runtime does not know is treated as absent (UTC). */
function isTimeZone(tz: string): boolean {
  // Building a DateTimeFormat costs about 0.1 ms, and a directory load asks once per person (5,000 at start)
  // for a few dozen distinct zones.
  let known = timeZones.get(tz);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      known = true;
    } catch {
      known = false;
    }
    if (timeZones.size < MAX_TIME_ZONES_KEPT) timeZones.set(tz, known);
  }
  return known;
}
