import { describe, expect, it } from 'vitest';
import { ALICE, BOB, CLASS, meeting, TEACHER } from '../testing/meeting';
import { visibleTiles, type Tile } from './media.svelte';

const tile = (id: string, local = false): Tile => ({
  id,
  name: id,
  local,
  camera: undefined,
  micMuted: false,
  speaking: false,
});
const tiles = [tile(TEACHER), tile(ALICE, true), tile(BOB)];
const onlyModerators = (s: ReturnType<typeof meeting>) =>
  meeting(...CLASS, { type: 'locks.changed', locks: { ...s.locks, onlyModeratorCameras: true } });

describe('whose cameras one sees', () => {
  it('shows everyone without the lock', () => {
    expect(visibleTiles(tiles, meeting(...CLASS), ALICE).map((x) => x.id)).toEqual([TEACHER, ALICE, BOB]);
  });

  it('shows a student the moderators’ cameras and their own under the lock, a moderator all', () => {
    const state = onlyModerators(meeting(...CLASS));
    expect(visibleTiles(tiles, state, ALICE).map((x) => x.id)).toEqual([TEACHER, ALICE]);
    expect(visibleTiles(tiles, state, TEACHER).map((x) => x.id)).toEqual([TEACHER, ALICE, BOB]);
  });
});
