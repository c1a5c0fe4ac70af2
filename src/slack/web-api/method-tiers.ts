/**
 * Slack's published rate tiers for the methods this app calls (calls per minute per workspace, with
 * bursts), from the reference slack-platform.md §2. A method missing here is paced as Tier 3, the middle.
 */
const TIERS = {
  tier2: { perMinute: 20, methods: ['users.list', 'usergroups.users.list', 'usergroups.list'] },
  tier3: { perMinute: 50, methods: ['users.lookupByEmail', 'chat.update', 'conversations.open'] },
  tier4: {
    perMinute: 100,
    methods: [
      'users.info',
      'conversations.members',
      // files.info is Tier 4 in Slack's method docs (not in the reference's table).
      'files.info',
      'views.open',
      'views.push',
      'views.update',
      'views.publish',
      'chat.postEphemeral',
    ],
  },
} as const;

const PER_MINUTE = new Map<string, number>(
  Object.values(TIERS).flatMap((tier) => tier.methods.map((m) => [m, tier.perMinute] as const)),
);

export type PaceRule = { key: string; perMinute: number; burst: number };

/**
 * The budget a call draws from. chat.postMessage is limited per channel (about one a second, short bursts);
 * every other method per workspace, a minute's worth of calls as the burst. The burst of ten
 * messages is our reading of "short bursts" (Slack publishes no figure).
 */
export function paceRuleFor(method: string, channel: string | undefined): PaceRule {
  if (method === 'chat.postMessage')
    return { key: `chat.postMessage:${channel ?? ''}`, perMinute: 60, burst: 10 };
  const perMinute = PER_MINUTE.get(method) ?? TIERS.tier3.perMinute;
  return { key: method, perMinute, burst: perMinute };
}
