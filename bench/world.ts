import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeKantata, startFakeKantata } from '../test/fakes/fake-kantata/index.js';
import { type FakeSlack, startFakeSlack } from '../test/fakes/fake-slack/index.js';
// PORT must be 1–65535 (SPEC §6), so the bench asks the OS for a free one and hands it over.
import { freePort } from '../test/fakes/http.js';
import { type LoadClient, startLoadClient } from './load-client.js';

export const SIGNING_SECRET = 'bench-signing-secret';
const BOT_TOKEN = 'xoxb-bench-bot-token';
const EMAIL_DOMAIN = 'bench.co';
const NOTIFY_CHANNEL = 'C0BENCHNOTIFY';

/** Someone who exists in Slack and in Kantata with the same email, an account administrator. */
export type BenchAdmin = { slackId: string; kantataId: string; email: string };

/**
 * The fakes the bot runs against, seeded once: `people` Kantata users `p1@bench.co` … (short addresses
 * so that 1,000 of them fit the command's length limit), the first `workspace` of them also in Slack
 * (for mentions), and administrators to act. Groups are made per scenario, so every change starts fresh.
 */
export type BenchWorld = {
  kantata: FakeKantata;
  slack: FakeSlack;
  /** The ack load generator in a process of its own (bench/README.md, "Processes"). */
  load: LoadClient;
  admins: BenchAdmin[];
  /** Emails of Kantata users p{from} … p{from+n-1}. */
  emails(n: number, from?: number): string[];
  /** Kantata ids of the same users. */
  kantataIds(n: number, from?: number): string[];
  /** Slack ids of the first `n` workspace people (who are Kantata users p1 … pn). */
  slackIds(n: number): string[];
  /** A new group, optionally with the first `members` people in it already. */
  addGroup(name: string, members?: number): { id: string; name: string };
  /** The bot's whole environment (SPEC §6), pointing at the fakes, with a fresh store file and port. */
  botEnv(): Promise<Record<string, string>>;
  /** Size of the store file of the last `botEnv()`, in MB (the file store rewrites it whole on each write). */
  storeMb(): number;
  close(): Promise<void>;
};

export async function startWorld(opts: {
  people: number;
  workspace: number;
  admins: number;
  concurrency: number;
}): Promise<BenchWorld> {
  const kantata = await startFakeKantata();
  const slack = await startFakeSlack({ botToken: BOT_TOKEN });
  const load = await startLoadClient();
  const dir = mkdtempSync(join(tmpdir(), 'groups-bench-'));
  const seeded = kantata.addUsers(opts.people, 'p', EMAIL_DOMAIN);
  const inSlack = slack.addUsers(opts.workspace, { prefix: 'p', domain: EMAIL_DOMAIN, start: 1 });
  const admins = Array.from({ length: opts.admins }, (_, i): BenchAdmin => {
    const email = `admin${i + 1}@${EMAIL_DOMAIN}`;
    const k = kantata.addUser({ email, name: `Admin ${i + 1}`, admin: true });
    const s = slack.addUser({ name: `admin${i + 1}`, realName: `Admin ${i + 1}`, email });
    return { slackId: s.id, kantataId: k.id, email };
  });
  const range = (n: number, from: number) => {
    if (from < 1 || from - 1 + n > seeded.length)
      throw new Error(`bench: only ${seeded.length} people seeded`);
    return seeded.slice(from - 1, from - 1 + n);
  };
  let stores = 0;
  let storeFile = '';

  return {
    kantata,
    slack,
    load,
    admins,
    emails: (n, from = 1) => range(n, from).map((u) => u.email),
    kantataIds: (n, from = 1) => range(n, from).map((u) => u.id),
    slackIds: (n) => inSlack.slice(0, n).map((u) => u.id),
    addGroup(name, members = 0) {
      const group = kantata.addGroup(name);
      if (members > 0)
        kantata.addMembers(
          group.id,
          range(members, 1).map((u) => u.id),
        );
      return group;
    },
    async botEnv() {
      stores += 1;
      // A directory per bot: the saved Slack directory lives beside the store file, and each phase starts
      // from its own (phase 7 restarts a bot on the same one on purpose).
      const own = join(dir, `bot-${stores}`);
      mkdirSync(own, { recursive: true });
      storeFile = join(own, 'store.json');
      return {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: String(await freePort()),
        KANTATA_API_TOKEN: kantata.token,
        KANTATA_BASE_URL: kantata.url,
        KANTATA_CONCURRENCY: String(opts.concurrency),
        NOTIFY_CHANNEL_ID: NOTIFY_CHANNEL,
        MAX_PEOPLE_PER_CHANGE: '10000',
        STORE_URL: `file:${storeFile}`,
        LOG_LEVEL: 'error',
        BENCH_BOT_ID: slack.botId,
        BENCH_BOT_USER_ID: slack.botUserId,
      };
    },
    storeMb: () => (storeFile && existsSync(storeFile) ? statSync(storeFile).size / 1e6 : 0),
    async close() {
      await load.close();
      await kantata.close();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
