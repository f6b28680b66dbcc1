import { z } from 'zod';
import { hasUnstorableText } from './common';
import { RATES } from './rules';
import { defineSlice } from './slice';

/** A stored file is named by the SHA-256 of its bytes: the same file in any room is one file. */
export const FileId = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex');
export const PresentationId = z.uuid();

/** What an upload turned out to be, decided from its content. */
export const DocumentFormat = z.enum([
  'pdf',
  'odp',
  'odt',
  'ods',
  'odg',
  'ppt',
  'pptx',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'rtf',
  'txt',
  'png',
  'jpg',
  'webp',
  'svg',
]);
export type DocumentFormat = z.infer<typeof DocumentFormat>;

/**
 * What the presenter shows of the page: `fit` picks the base scale (whole page, or full width),
 * `zoom` multiplies it, and (`x`, `y`) is the point of the page at the centre of the view, as
 * fractions of its width and height, so every screen size shows the same part.
 */
export const Viewport = z
  .object({
    fit: z.enum(['page', 'width']),
    zoom: z.number().min(1).max(8),
    x: z.number().min(0).max(1),
    y: z.number().min(0).max(1),
  })
  .strict();
export type Viewport = z.infer<typeof Viewport>;
export const FIT_PAGE: Viewport = { fit: 'page', zoom: 1, x: 0.5, y: 0.5 };

export const Presentation = z.object({
  id: PresentationId,
  fileId: FileId,
  name: z.string(),
  format: DocumentFormat,
  pages: z.number().int().positive(),
  /** Text and thumbnails of every page are ready (pages show before that). */
  processed: z.boolean(),
  downloadable: z.boolean(),
  /** The page it was left on: switching back to it returns there. */
  page: z.number().int().positive(),
  /** The deck every meeting starts with: its first page shows the room's name. */
  isDefault: z.boolean(),
});
export type Presentation = z.infer<typeof Presentation>;

export const FileName = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'empty')
      .max(255, 'too_long')
      .refine((s) => !hasUnstorableText(s), 'unstorable_characters'),
  );

// Commands

/** Adds an upload that the HTTP route accepted (its id), and shows it. */
export const PresentationAdd = z.object({ type: z.literal('presentation.add'), uploadId: z.uuid() }).strict();
export const PresentationShow = z
  .object({ type: z.literal('presentation.show'), presentationId: PresentationId })
  .strict();
export const PresentationRemove = z
  .object({ type: z.literal('presentation.remove'), presentationId: PresentationId })
  .strict();
export const PresentationSetDownloadable = z
  .object({
    type: z.literal('presentation.set-downloadable'),
    presentationId: PresentationId,
    downloadable: z.boolean(),
  })
  .strict();
export const SlideGoto = z
  .object({ type: z.literal('slide.goto'), presentationId: PresentationId, page: z.number().int().positive() })
  .strict();
export const SlideViewport = z
  .object({ type: z.literal('slide.viewport'), presentationId: PresentationId, viewport: Viewport })
  .strict();

// Events

export const PresentationAdded = z.object({
  type: z.literal('presentation.added'),
  presentationId: PresentationId,
  fileId: FileId,
  name: z.string(),
  format: DocumentFormat,
  pages: z.number().int().positive(),
  processed: z.boolean(),
  /** Version 2: always present (version 1 could lack it: not the default deck). */
  isDefault: z.boolean(),
});
/** Text and thumbnails are ready for every presentation of this file. */
export const PresentationProcessed = z.object({ type: z.literal('presentation.processed'), fileId: FileId });
export const PresentationShown = z.object({ type: z.literal('presentation.shown'), presentationId: PresentationId });
export const PresentationRemoved = z.object({
  type: z.literal('presentation.removed'),
  presentationId: PresentationId,
});
export const PresentationDownloadableChanged = z.object({
  type: z.literal('presentation.downloadable-changed'),
  presentationId: PresentationId,
  downloadable: z.boolean(),
});
export const SlideChanged = z.object({
  type: z.literal('slide.changed'),
  presentationId: PresentationId,
  page: z.number().int().positive(),
});
export const SlideViewportChanged = z.object({
  type: z.literal('slide.viewport-changed'),
  presentationId: PresentationId,
  viewport: Viewport,
});

/** What everyone sees: the current presentation (null for none) and its viewport. */
export const SlidesState = z.object({
  presentations: z.array(Presentation),
  current: PresentationId.nullable(),
  viewport: Viewport,
});
export type SlidesState = z.infer<typeof SlidesState>;
export const NO_SLIDES: SlidesState = { presentations: [], current: null, viewport: FIT_PAGE };

type SlidesEvent =
  | z.infer<typeof PresentationAdded>
  | z.infer<typeof PresentationProcessed>
  | z.infer<typeof PresentationShown>
  | z.infer<typeof PresentationRemoved>
  | z.infer<typeof PresentationDownloadableChanged>
  | z.infer<typeof SlideChanged>
  | z.infer<typeof SlideViewportChanged>;

/** The slides' part of the meeting fold. */
export function foldSlides(s: SlidesState, e: SlidesEvent): SlidesState {
  const patch = (id: string, f: (p: Presentation) => Presentation) => ({
    ...s,
    presentations: s.presentations.map((p) => (p.id === id ? f(p) : p)),
  });
  switch (e.type) {
    case 'presentation.added':
      if (s.presentations.some((p) => p.id === e.presentationId)) return s;
      return {
        presentations: [
          ...s.presentations,
          {
            id: e.presentationId,
            fileId: e.fileId,
            name: e.name,
            format: e.format,
            pages: e.pages,
            processed: e.processed,
            downloadable: false,
            page: 1,
            isDefault: e.isDefault,
          },
        ],
        current: e.presentationId,
        viewport: FIT_PAGE,
      };
    case 'presentation.processed':
      return {
        ...s,
        presentations: s.presentations.map((p) => (p.fileId === e.fileId ? { ...p, processed: true } : p)),
      };
    case 'presentation.shown':
      return s.presentations.some((p) => p.id === e.presentationId)
        ? { ...s, current: e.presentationId, viewport: FIT_PAGE }
        : s;
    case 'presentation.removed': {
      const i = s.presentations.findIndex((p) => p.id === e.presentationId);
      if (i < 0) return s;
      const presentations = s.presentations.filter((p) => p.id !== e.presentationId);
      if (s.current !== e.presentationId) return { ...s, presentations };
      // Removing what is on screen shows the one before it (or after, or nothing).
      const next = presentations[Math.max(0, i - 1)] ?? null;
      return { presentations, current: next?.id ?? null, viewport: FIT_PAGE };
    }
    case 'presentation.downloadable-changed':
      return patch(e.presentationId, (p) => ({ ...p, downloadable: e.downloadable }));
    case 'slide.changed': {
      const changed = patch(e.presentationId, (p) => ({ ...p, page: Math.min(e.page, p.pages) }));
      // A new page starts whole; zooming is per page, as on a projector.
      return s.current === e.presentationId ? { ...changed, viewport: FIT_PAGE } : changed;
    }
    case 'slide.viewport-changed':
      return s.current === e.presentationId ? { ...s, viewport: e.viewport } : s;
  }
}

/** The presentations' part of the meeting state; the default is a new meeting's. */
export const PresentationsState = z.object({ slides: SlidesState.default(() => NO_SLIDES) });

export const presentations = defineSlice({
  commands: [
    PresentationAdd,
    PresentationShow,
    PresentationRemove,
    PresentationSetDownloadable,
    SlideGoto,
    SlideViewport,
  ],
  events: [
    PresentationAdded,
    PresentationProcessed,
    PresentationShown,
    PresentationRemoved,
    PresentationDownloadableChanged,
    SlideChanged,
    SlideViewportChanged,
  ],
  permissions: {
    'presentation.add': { who: 'presenter-or-moderator', rate: RATES.files },
    'presentation.show': { who: 'presenter', rate: RATES.paging },
    'presentation.remove': { who: 'presenter-or-moderator', rate: RATES.files },
    'presentation.set-downloadable': { who: 'presenter-or-moderator', rate: RATES.moderation },
    'slide.goto': { who: 'presenter', rate: RATES.paging },
    'slide.viewport': { who: 'presenter', rate: RATES.panning },
  },
  upgrades: {
    'presentation.added': [(v1) => ({ isDefault: false, ...v1 })],
  },
  fold: (state, e) => ({ ...state, slides: foldSlides(state.slides, e) }),
});

export function currentPresentation(s: SlidesState): Presentation | null {
  return s.presentations.find((p) => p.id === s.current) ?? null;
}

/** Limits the server applies to uploads (its configuration), sent to clients to check before sending. */
export const UploadLimits = z.object({
  maxBytes: z.number().int().positive(),
  maxPages: z.number().int().positive(),
  conversionSeconds: z.number().positive(),
});
export type UploadLimits = z.infer<typeof UploadLimits>;

/** Reply of `PUT /api/presentations`. */
export const UploadResponse = z.object({ presentationId: PresentationId, fileId: FileId, cached: z.boolean() });
export type UploadResponse = z.infer<typeof UploadResponse>;

/** Reply of the socket's `presentation.access` request: what file URLs carry. */
export const FilesAccess = z.object({ access: z.string(), limits: UploadLimits });
export type FilesAccess = z.infer<typeof FilesAccess>;

/**
 * Where to download a presentation's PDF with its annotations drawn in (GET; the files token as
 * `access`). Allowed to whoever may download the PDF alone: moderators and the presenter always,
 * others once the presenter has made the presentation downloadable.
 */
export function annotatedPdfUrl(p: Pick<Presentation, 'id' | 'fileId'>, access: string): string {
  const query = `presentation=${encodeURIComponent(p.id)}&access=${encodeURIComponent(access)}`;
  return `/api/presentations/${p.fileId}/download/annotated?${query}`;
}

/** Pushed to the meeting (live channel): thumbnails and text processed so far, never logged. */
export const PresentationProgress = z.object({
  fileId: FileId,
  done: z.number().int().nonnegative(),
  total: z.number().int().positive(),
});
export type PresentationProgress = z.infer<typeof PresentationProgress>;

/** Accepted file name extensions, for the file picker only: the server decides from the content. */
export const UPLOAD_ACCEPT = DocumentFormat.options.map((f) => `.${f}`).concat('.jpeg');

/**
 * Where a page of `page` size (points) goes in a view of `view` size (pixels) for a viewport:
 * its scale and the offset of its top-left corner. A page smaller than the view is centred;
 * a larger one shows the part around (x, y), never beyond its edges. Every screen computes the
 * same picture from the same viewport, whatever its size.
 */
export function placePage(
  page: { width: number; height: number },
  view: { width: number; height: number },
  v: Viewport,
): { scale: number; left: number; top: number; width: number; height: number } {
  const fit =
    v.fit === 'width' ? view.width / page.width : Math.min(view.width / page.width, view.height / page.height);
  const scale = fit * v.zoom;
  const width = page.width * scale;
  const height = page.height * scale;
  const offset = (size: number, room: number, at: number) =>
    size <= room ? (room - size) / 2 : -Math.min(Math.max(at * size - room / 2, 0), size - room);
  return { scale, width, height, left: offset(width, view.width, v.x), top: offset(height, view.height, v.y) };
}

/** The viewport after dragging the page by (dx, dy) pixels in a view where it is `width`×`height`. */
export function panViewport(v: Viewport, dx: number, dy: number, width: number, height: number): Viewport {
  const clamp = (n: number) => Math.min(1, Math.max(0, n));
  return { ...v, x: clamp(v.x - dx / width), y: clamp(v.y - dy / height) };
}

export const ZOOM_STEP = 1.25;
export function zoomViewport(v: Viewport, direction: 1 | -1): Viewport {
  const zoom = Math.min(8, Math.max(1, direction > 0 ? v.zoom * ZOOM_STEP : v.zoom / ZOOM_STEP));
  return { ...v, zoom: Math.round(zoom * 1000) / 1000 };
}
