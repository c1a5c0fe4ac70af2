import { formatCount } from './format-count.js';

/** The word alone: `pluralize(1, 'person', 'people')` → `person`, any other count → `people`. */
export function pluralize(n: number, singular: string, plural: string): string {
  return n === 1 ? singular : plural;
}

/** Count and word: `formatQuantity(1000, 'person', 'people')` → `1,000 people`. */
export function formatQuantity(n: number, singular: string, plural: string): string {
  return `${formatCount(n)} ${pluralize(n, singular, plural)}`;
}
