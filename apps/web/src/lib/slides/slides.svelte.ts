import { SOCKET, UploadResponse, type Presentation, type UploadLimits, type Viewport } from '@estrade/protocol';
import { i18n } from '../i18n/i18n.svelte';
import type { ClassroomConnection } from '../classroom/connection.svelte';
import type { Run } from '../classroom/feedback';

const PAN_EXPIRY_MS = 3000;

export interface UploadItem {
  id: number;
  name: string;
  /** 0–1 while sending; then the server converts (indeterminate) until it answers. */
  sent: number;
  phase: 'sending' | 'converting' | 'done' | 'failed';
  error: string;
}

/**
 * The slides' client side: the files token that file URLs carry, uploads with their progress,
 * and the server's processing progress (transient). What is shown comes from the meeting state.
 */
export class SlidesStore {
  access = $state('');
  limits = $state<UploadLimits | null>(null);
  uploads = $state<UploadItem[]>([]);
  /** Thumbnails processed so far, per file, while the server works on them. */
  progress = $state<Record<string, { done: number; total: number }>>({});
  /** The presenter's drag as relayed live, until the logged viewport replaces it. */
  panning = $state<{ presentationId: string; viewport: Viewport } | null>(null);
  private panExpiry: ReturnType<typeof setTimeout> | undefined;
  private nextUpload = 1;

  constructor(
    private readonly conn: ClassroomConnection,
    private readonly run: Run,
  ) {}

  /** Follows processing progress; returns the unsubscribe. */
  start(): () => void {
    const offProgress = this.conn.onTransient(SOCKET.presentationProgress, (p) => {
      this.progress = { ...this.progress, [p.fileId]: p };
    });
    const offPan = this.conn.onTransient(SOCKET.slidePan, ({ presentationId, viewport }) => {
      this.panning = { presentationId, viewport };
      // A drag whose end never came (the presenter left mid-drag) gives way to the logged viewport.
      clearTimeout(this.panExpiry);
      this.panExpiry = setTimeout(() => (this.panning = null), PAN_EXPIRY_MS);
    });
    // The logged viewport (the drag's end, a page turn, another presentation) replaces the live one.
    const offEvent = this.conn.onEvent(({ event }) => {
      if (event.type.startsWith('slide.') || event.type.startsWith('presentation.')) this.panning = null;
    });
    return () => {
      offProgress();
      offPan();
      offEvent();
      clearTimeout(this.panExpiry);
    };
  }

  /**
   * The viewport to show for this presentation: the presenter's drag as it is relayed live,
   * else the logged one.
   */
  viewportOf(presentationId: string, logged: Viewport): Viewport {
    return this.panning?.presentationId === presentationId ? this.panning.viewport : logged;
  }

  /** The presenter's viewport while dragging: relayed live, never logged (the end of the drag is). */
  pan(presentationId: string, viewport: Viewport) {
    this.conn.transient(SOCKET.slidePan, { presentationId, viewport });
  }

  async refreshAccess() {
    const result = await this.conn.request(SOCKET.presentationAccess);
    this.access = result.access;
    this.limits = result.limits;
  }

  /** File URLs work once the files token has arrived; before that they would only earn 401s. */
  get ready(): boolean {
    return this.access !== '';
  }

  url(p: Pick<Presentation, 'fileId'>, rest: string): string {
    return `/api/presentations/${p.fileId}/${rest}?access=${encodeURIComponent(this.access)}`;
  }

  /** Puts a presentation on screen for everyone (the presenter). */
  show(presentationId: string) {
    return this.run(() => this.conn.send({ type: 'presentation.show', presentationId }));
  }

  remove(presentationId: string) {
    return this.run(() => this.conn.send({ type: 'presentation.remove', presentationId }));
  }

  setDownloadable(presentationId: string, downloadable: boolean) {
    return this.run(() => this.conn.send({ type: 'presentation.set-downloadable', presentationId, downloadable }));
  }

  /** Sends files one after the other, each with its own progress. */
  async upload(files: File[]) {
    const items = files.map((f) => this.track(f.name));
    for (const [i, file] of files.entries()) await this.send(file, items[i]);
  }

  dismiss(id: number) {
    this.uploads = this.uploads.filter((u) => u.id !== id);
  }

  private track(name: string): UploadItem {
    const item: UploadItem = { id: this.nextUpload++, name, sent: 0, phase: 'sending', error: '' };
    this.uploads = [...this.uploads, item];
    return item;
  }

  private update(id: number, patch: Partial<UploadItem>) {
    this.uploads = this.uploads.map((u) => (u.id === id ? { ...u, ...patch } : u));
  }

  private async send(file: File, item: UploadItem) {
    const limits = this.limits;
    if (limits && file.size > limits.maxBytes) {
      // Checked here too, so a big file is not sent for nothing.
      this.update(item.id, { phase: 'failed', error: this.errorText('too_large') });
      return;
    }
    if (!this.access) await this.refreshAccess();
    try {
      await this.put(file, item.id);
      this.update(item.id, { phase: 'done', sent: 1 });
      setTimeout(() => this.dismiss(item.id), 4000);
    } catch (err) {
      const code = err instanceof UploadError ? err.code : 'internal';
      this.update(item.id, { phase: 'failed', error: this.errorText(code) });
    }
  }

  errorText(code: string): string {
    const l = this.limits;
    const limit =
      code === 'too_large' && l
        ? `${Math.round(l.maxBytes / 1024 / 1024)} ${i18n.locale === 'fr' ? 'Mo' : 'MB'}`
        : code === 'too_many_pages' && l
          ? String(l.maxPages)
          : code === 'conversion_timeout' && l
            ? `${l.conversionSeconds} s`
            : '';
    return i18n.error(code, { limit });
  }

  /** XMLHttpRequest rather than fetch: it reports upload progress. */
  private put(file: File, id: number): Promise<UploadResponse> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', `/api/presentations?name=${encodeURIComponent(file.name)}`);
      xhr.setRequestHeader('Authorization', `Bearer ${this.access}`);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) this.update(id, { sent: e.loaded / e.total });
      };
      xhr.upload.onload = () => this.update(id, { sent: 1, phase: 'converting' });
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          // not JSON: handled below
        }
        if (xhr.status === 201) return resolve(UploadResponse.parse(body));
        const code = (body as { code?: string } | null)?.code ?? 'internal';
        reject(new UploadError(code));
      };
      xhr.onerror = () => reject(new UploadError('internal'));
      xhr.send(file);
    });
  }
}

class UploadError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}
