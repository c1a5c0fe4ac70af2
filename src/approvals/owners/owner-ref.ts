/**
 * One owner of a group as the administrator named it: a person, or a group of people whose members are
 * owners while they are in it (looked up at each check). The ids are opaque to the core (Slack ids).
 * In a file of its own, without imports: the audit entry type needs it, and the owner types need the audit's.
 */
export type OwnerRef =
  | { kind: 'person'; id: string; label?: string }
  | { kind: 'people_group'; id: string; label?: string };
