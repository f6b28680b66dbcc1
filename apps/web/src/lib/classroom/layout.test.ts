import { describe, expect, it } from 'vitest';
import { orderTiles, pageOf } from './layout.svelte';

describe('the video grid', () => {
  it('pages beyond 25 tiles and keeps the page in range', () => {
    const tiles = Array.from({ length: 60 }, (_, i) => i);
    expect(pageOf(tiles, 0)).toMatchObject({ page: 0, pages: 3 });
    expect(pageOf(tiles, 2).items).toEqual([50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
    expect(pageOf(tiles, 9).page).toBe(2);
    expect(pageOf([], 0)).toEqual({ items: [], page: 0, pages: 1 });
  });

  it('puts the pinned participant first, then who speaks', () => {
    const t = (id: string, speaking = false) => ({ id, speaking });
    expect(orderTiles([t('a'), t('b', true), t('c')], 'c').map((x) => x.id)).toEqual(['c', 'b', 'a']);
    expect(orderTiles([t('a'), t('b')], null).map((x) => x.id)).toEqual(['a', 'b']);
  });
});
