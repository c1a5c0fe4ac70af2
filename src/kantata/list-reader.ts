import * as z from 'zod';
import { KantataError } from './kantata-error.js';

/**
 * Kantata's list format: `{count, meta, results:[{key,id}], <key>:{<id>:obj}, ...included}`.
 * `results` is the canonical order; objects sit in maps keyed by id. Whether `id` is repeated inside an
 * object differs per resource (unconfirmed for user_group_memberships), so the id always comes from the map key.
 */

/** Kantata ids are strings, but some integer fields (`user_id: int`) come as numbers: accept both, keep strings. */
export const kantataIdSchema = z
  .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
  .transform(String);

const resultRefSchema = z.object({ key: z.string(), id: kantataIdSchema });

const countSchema = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

/** What pagination needs from a page. */
export const pageMetaSchema = z.object({
  meta: z.object({ count: countSchema, page_count: countSchema }),
});

export type WithId<T> = T & { id: string };

type IncludedShape = Record<string, z.ZodType>;

export type ListPage<T, I extends IncludedShape> = {
  /** Objects of the result key, in `results` order, each with its id. */
  items: WithId<T>[];
  /** Included records by top-level key, then by id. */
  included: { [K in keyof I]: Map<string, WithId<z.output<I[K]>>> };
};

/**
 * Builds a parser for one page of a list response: validates the result objects with `schema` and the
 * included maps with `included`, then walks `results` in order. Throws `kantata_bad_response` naming the
 * JSON path that failed (e.g. `user_group_memberships.12.user_id: …`).
 */
export function createListReader<S extends z.ZodType, I extends IncludedShape = Record<never, never>>(
  key: string,
  schema: S,
  included?: I,
): (body: unknown) => ListPage<z.output<S>, I> {
  const includedShape: Record<string, z.ZodType> = {};
  for (const [name, itemSchema] of Object.entries(included ?? {})) {
    includedShape[name] = z.record(z.string(), itemSchema).optional();
  }
  const pageSchema = z.object({
    results: z.array(resultRefSchema),
    // A page with no results may leave the map out.
    [key]: z.record(z.string(), schema).optional(),
    ...includedShape,
  });

  return (body) => {
    const page = parseKantataBody(pageSchema, body) as Record<string, unknown> & {
      results: { key: string; id: string }[];
    };
    const map = (page[key] ?? {}) as Record<string, z.output<S>>;
    const items: WithId<z.output<S>>[] = [];
    page.results.forEach((ref, index) => {
      if (ref.key !== key) return;
      const item = map[ref.id];
      if (item === undefined) {
        throw badResponse(`results.${index}: ${key}.${ref.id} is listed in results but missing from ${key}`);
      }
      items.push({ ...(item as object), id: ref.id } as WithId<z.output<S>>);
    });
    const includedMaps: Record<string, Map<string, unknown>> = {};
    for (const name of Object.keys(included ?? {})) {
      const records = (page[name] ?? {}) as Record<string, object>;
      includedMaps[name] = new Map(Object.entries(records).map(([id, value]) => [id, { ...value, id }]));
    }
    return { items, included: includedMaps as ListPage<z.output<S>, I>['included'] };
  };
}

/** Parses a Kantata body with zod; failure becomes `kantata_bad_response` with the failing paths. */
export function parseKantataBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 3)
    .map(
      (issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`,
    );
  const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : '';
  return throwBadResponse(`${problems.join('; ')}${more}`);
}

function throwBadResponse(message: string): never {
  throw badResponse(message);
}

function badResponse(message: string): KantataError {
  return new KantataError('kantata_bad_response', `Kantata sent an unexpected response: ${message}`, {
    detail: { problem: message },
  });
}
