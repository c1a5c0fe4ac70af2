import * as z from 'zod';

const denyMetadataSchema = z.object({ changeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** The deny modal's `private_metadata` (`{"changeId":"…"}`), parsed: it comes back from outside. Null if bad. */
export function parseDenyMetadata(raw: string | undefined): { changeId: string } | null {
  if (!raw) return null;
  try {
    const parsed = denyMetadataSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
