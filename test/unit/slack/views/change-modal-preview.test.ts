import { describe, expect, it } from 'vitest';
import type { KantataUser, Plan } from '../../../../src/membership/types.js';
import { VIEW } from '../../../../src/slack/ids.js';
import { changePreviewModal } from '../../../../src/slack/views/change-modal-preview.js';
import { validateView } from '../../../fakes/fake-slack/index.js';

// biome-ignore lint/suspicious/noExplicitAny: reading Block Kit JSON loosely
type Loose = any;

const group = { id: '7', name: 'Design' };

function users(n: number, prefix = 'Person'): KantataUser[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(100 + i),
    name: `${prefix} ${i}`,
    email: `${prefix.toLowerCase()}${i}@example.com`,
    disabled: false,
    isAdministrator: false,
  }));
}

function preview(plan: Partial<Plan>, extra: { reason?: string; action?: 'add' | 'remove' } = {}) {
  const action = extra.action ?? 'add';
  return {
    id: 'chg_1',
    action,
    group,
    plan: { action, group, toChange: [], unchanged: [], unresolved: [], ...plan },
    ...(extra.reason ? { reason: extra.reason } : {}),
  };
}

const text = (view: Loose) => JSON.stringify(view.blocks);

describe('changePreviewModal', () => {
  it('shows who will be added, who already is a member and who could not be found, with why', () => {
    const view = changePreviewModal({
      change: preview(
        {
          toChange: users(2, 'New'),
          unchanged: users(1, 'Old'),
          unresolved: [{ label: 'ghost@example.com', reason: 'no_kantata_user' }],
        },
        { reason: 'new hires' },
      ),
      mode: 'apply',
    }) as Loose;
    expect(validateView(view)).toEqual({ ok: true });
    expect(view.callback_id).toBe(VIEW.changePreviewModal);
    expect(view.submit.text).toBe('Apply');
    expect(JSON.parse(view.private_metadata)).toEqual({ changeId: 'chg_1', mode: 'apply' });
    expect(view.notify_on_close).toBe(true);
    const all = text(view);
    expect(all).toContain('*Will be added* to *Design* (2)');
    expect(all).toContain('New 0 (new0@example.com), New 1 (new1@example.com)');
    expect(all).toContain('*Already members (1):* Old 0');
    expect(all).toContain('*Could not be included (1):*');
    expect(all).toContain('No Kantata user has this email or id (1):_ `ghost@example.com`');
    expect(all).toContain('*Reason:* new hires');
  });

  it('says Request approval for someone who has to ask', () => {
    const view = changePreviewModal({ change: preview({ toChange: users(1) }), mode: 'request' }) as Loose;
    expect(view.submit.text).toBe('Request approval');
    expect(text(view)).toContain('*Request approval* asks the administrators');
    expect(JSON.parse(view.private_metadata).mode).toBe('request');
  });

  it('has no submit button and says so when there is nothing to change', () => {
    const add = changePreviewModal({ change: preview({ unchanged: users(3) }), mode: 'apply' }) as Loose;
    expect(validateView(add)).toEqual({ ok: true });
    expect(add.submit).toBeUndefined();
    expect(text(add)).toContain('Nothing to change: everyone named is already a member');
    const remove = changePreviewModal({
      change: preview({ unchanged: users(1) }, { action: 'remove' }),
      mode: 'apply',
    }) as Loose;
    expect(remove.submit).toBeUndefined();
    expect(text(remove)).toContain('none of the people named is a member');
    expect(text(remove)).toContain('*Not members (1):*');
  });

  it('summarises a thousand people within Slack limits', () => {
    const view = changePreviewModal({
      change: preview({
        toChange: users(1000, 'Somebody With A Long Name'),
        unchanged: users(800),
        unresolved: users(500).map((u) => ({ label: u.email, reason: 'several_matches' as const })),
      }),
      mode: 'apply',
    }) as Loose;
    expect(validateView(view)).toEqual({ ok: true });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.private_metadata.length).toBeLessThanOrEqual(3000);
    expect(text(view)).toMatch(/…and [\d,]+ more/);
    expect(text(view)).toContain('*Will be added* to *Design* (1,000)');
  });

  it('escapes what people typed so it cannot ping or link', () => {
    const view = changePreviewModal({
      change: {
        ...preview({ toChange: users(1) }, { reason: 'see <!channel> & <https://evil|here>' }),
        group: { id: '7', name: '<!here> team' },
      },
      mode: 'apply',
    }) as Loose;
    // Plain text (the header) cannot ping; every mrkdwn text must be escaped.
    const all = JSON.stringify(view.blocks.filter((b: Loose) => b.type !== 'header'));
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<!here>');
    expect(all).toContain('&lt;!channel&gt; &amp; &lt;https://evil|here&gt;');
  });

  it('titles a removal as such', () => {
    const view = changePreviewModal({
      change: preview({ toChange: users(2) }, { action: 'remove' }),
      mode: 'apply',
    }) as Loose;
    expect(view.title.text).toBe('Preview: remove people');
    expect(text(view)).toContain('*Will be removed* from *Design* (2)');
    expect(view.blocks[0].text.text).toBe('Preview: remove 2 people from Design');
  });
});
