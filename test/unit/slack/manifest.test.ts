import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SHORTCUT } from '../../../src/slack/ids.js';

const manifest = parse(readFileSync(join(import.meta.dirname, '../../../manifest.yml'), 'utf8'));
const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');

describe('manifest.yml (SPEC §4.8)', () => {
  it('turns the Home tab on, subscribes to app_home_opened and declares both shortcuts with the ids the app listens to', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    const shortcuts = manifest.features.shortcuts as { type: string; callback_id: string; name: string }[];
    expect(shortcuts.map((s) => [s.type, s.callback_id])).toEqual([
      ['global', SHORTCUT.manageGroups],
      ['message', SHORTCUT.addFromMessage],
    ]);
    expect(shortcuts.map((s) => s.name)).toEqual([
      'Manage Kantata groups',
      'Add these people to a Kantata group',
    ]);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('the README’s HTTP variant points events and interactivity at /slack/events and keeps the shortcuts', () => {
    const http = /### HTTP mode[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(http).toBeDefined();
    const variant = parse(http!);
    expect(variant.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
    expect(variant.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(variant.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
    expect(variant.settings.socket_mode_enabled).toBe(false);
    expect(variant.features.app_home.home_tab_enabled).toBe(true);
    expect(variant.features.shortcuts.map((s: { callback_id: string }) => s.callback_id)).toEqual([
      SHORTCUT.manageGroups,
      SHORTCUT.addFromMessage,
    ]);
  });

  it('the slash command’s usage hint names the sub-commands people most need, sync and owners among them', () => {
    const [groups] = manifest.features.slash_commands as { command: string; usage_hint: string }[];
    expect(groups?.command).toBe('/groups');
    for (const word of ['help', 'list', 'members', 'add', 'remove', 'sync', 'owners'])
      expect(groups?.usage_hint).toMatch(new RegExp(`\\b${word}\\b`));
    // Slack's limit for a usage hint.
    expect(groups?.usage_hint.length).toBeLessThanOrEqual(1000);
  });
});
