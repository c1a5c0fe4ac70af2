import * as z from 'zod';
import type { PreviewMode } from '../../views/change-modal-preview.js';

const previewMetadataSchema = z.object({
  changeId: z.string().min(1).max(100),
  mode: z.enum(['apply', 'request']),
});

/** The preview modal's private_metadata (written by `previewMetadata`), parsed at the edge. */
export function parsePreviewMetadata(
  raw: string | undefined,
): { changeId: string; mode: PreviewMode } | null {
  try {
    const parsed = previewMetadataSchema.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
