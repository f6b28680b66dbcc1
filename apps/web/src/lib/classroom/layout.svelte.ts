import type { LayoutFocus, PushedLayout } from '@estrade/protocol';
import type { ClassroomConnection } from './connection.svelte';
import type { Run } from './feedback';

/** Cameras per page of the video grid: beyond it, pages (25 tiles stay legible on a laptop). */
export const TILES_PER_PAGE = 25;

/**
 * How the classroom is arranged for this participant: their own choice of focus and pinned
 * person, unless a moderator pushed a layout to everyone (then that one, and no choice).
 */
export class LayoutStore {
  private ownFocus = $state<LayoutFocus>('presentation');
  private ownPinned = $state<string | null>(null);
  /** The camera strip above the presentation is folded away. */
  stripCollapsed = $state(false);
  /** The page of the video grid, from 0. */
  page = $state(0);
  /** Side panels shown beside the presentation (wide screens). */
  participantsOpen = $state(true);
  chatOpen = $state(true);
  /** The one view shown on a phone: the presentation, the chat or the participants. */
  tab = $state<'presentation' | 'chat' | 'participants'>('presentation');

  constructor(
    private readonly conn: ClassroomConnection,
    private readonly run: Run,
  ) {}

  get pushed(): PushedLayout | null {
    return this.conn.state?.pushedLayout ?? null;
  }

  get focus(): LayoutFocus {
    return this.pushed?.focus ?? this.ownFocus;
  }

  get pinned(): string | null {
    return this.pushed ? this.pushed.pinned : this.ownPinned;
  }

  /** A pushed layout is not ours to change. */
  get locked(): boolean {
    return !!this.pushed;
  }

  setFocus(focus: LayoutFocus) {
    if (this.locked) return;
    this.ownFocus = focus;
    this.page = 0;
  }

  togglePin(participantId: string) {
    if (this.locked) return;
    this.ownPinned = this.ownPinned === participantId ? null : participantId;
  }

  /** Shows our current layout to everyone (a moderator). */
  push() {
    return this.run(() =>
      this.conn.send({ type: 'layout.push', layout: { focus: this.ownFocus, pinned: this.ownPinned } }),
    );
  }

  release() {
    return this.run(() => this.conn.send({ type: 'layout.release' }));
  }
}

/** The tiles of one page of the grid, and how many pages there are. */
export function pageOf<T>(
  items: T[],
  page: number,
  size = TILES_PER_PAGE,
): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(p * size, (p + 1) * size), page: p, pages };
}

/** The pinned participant first, then who is speaking, then the others in their order. */
export function orderTiles<T extends { id: string; speaking: boolean }>(tiles: T[], pinned: string | null): T[] {
  const rank = (x: T) => (x.id === pinned ? 0 : x.speaking ? 1 : 2);
  return tiles
    .map((x, i) => ({ x, i }))
    .sort((a, b) => rank(a.x) - rank(b.x) || a.i - b.i)
    .map((e) => e.x);
}
