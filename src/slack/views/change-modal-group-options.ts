import type { types } from '@slack/bolt';
import type { Group } from '../../membership/types.js';
import { plainText } from './change-modal-lists.js';

/** Slack shows at most 100 options; text and value are limited to 75 characters. */
const MAX_OPTIONS = 100;
const MAX_VALUE = 75;

/** The answer to a type-ahead in the group field: the group's name, the group's id as the value. */
export function groupOptions(groups: readonly Group[]): { options: types.PlainTextOption[] } {
  return {
    options: groups
      .filter((group) => group.id.length > 0 && group.id.length <= MAX_VALUE)
      .slice(0, MAX_OPTIONS)
      .map((group) => ({ text: plainText(group.name.trim() || `id:${group.id}`, 75), value: group.id })),
  };
}
