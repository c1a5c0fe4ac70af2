/**
 * Thrown by a listener's `ack()` (after acknowledging) when another delivery of the same Slack request
 * (a retry, a replay, the same request on another replica) claimed its key first: the listener stops
 * before doing any work. Caught by the app's first middleware; never shown to anyone.
 */
export class RepeatedDelivery extends Error {
  readonly key: string;
  constructor(key: string) {
    super(`repeated Slack delivery ${key}`);
    this.name = 'RepeatedDelivery';
    this.key = key;
  }
}
