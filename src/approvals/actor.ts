/** Who did something. The Slack id is an opaque string to the core. */
export type Actor = {
  slackUserId: string;
  kantataUserId?: string;
  name?: string;
};
