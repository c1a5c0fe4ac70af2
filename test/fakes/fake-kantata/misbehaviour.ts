/** Scripted failures: the fake answers matching requests with an error, a hang or a reset instead. */

export type MisbehaviourAction =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answer (the client must hit its deadline). */
  | 'hang'
  /** Perform the request (e.g. a POST creates the memberships), then never answer. */
  | 'hang_after_apply'
  /** Destroy the socket without answering. */
  | 'reset'
  /** Perform the request, then destroy the socket without answering. */
  | 'reset_after_apply';

export type MisbehaviourRule = {
  method?: string;
  /** Exact path relative to the API base (`/user_group_memberships`), or a RegExp tested against it. */
  path?: string | RegExp;
  /** 1-based index among matching requests at which to start (default 1). */
  nth?: number;
  /** How many matching requests misbehave (default 1). */
  times?: number;
  action: MisbehaviourAction;
};

export class Misbehaviour {
  private readonly rules: { rule: MisbehaviourRule; seen: number }[] = [];

  add(rule: MisbehaviourRule): void {
    this.rules.push({ rule, seen: 0 });
  }

  /** Counts the request against every matching rule; returns the first rule's action whose turn it is. */
  actionFor(method: string, path: string): MisbehaviourAction | undefined {
    let action: MisbehaviourAction | undefined;
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (rule.path !== undefined && !matchesPath(rule.path, path)) continue;
      entry.seen += 1;
      const first = rule.nth ?? 1;
      const last = first + (rule.times ?? 1) - 1;
      if (action === undefined && entry.seen >= first && entry.seen <= last) action = rule.action;
    }
    return action;
  }

  clear(): void {
    this.rules.length = 0;
  }
}

function matchesPath(pattern: string | RegExp, path: string): boolean {
  if (typeof pattern === 'string') return pattern === path;
  pattern.lastIndex = 0;
  return pattern.test(path);
}
