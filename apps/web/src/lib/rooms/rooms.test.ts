import { describe, expect, it } from 'vitest';
import { KeptRooms, parseRooms } from './rooms.svelte';

/** A Storage of our own: the unit tests run in Node, without a browser's localStorage. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, v),
  };
}

const maths = { name: 'Maths 4e B', moderatorCode: 'MOD1', viewerCode: 'VIEW1' };
const svt = { name: 'SVT', moderatorCode: 'MOD2', viewerCode: 'VIEW2' };

describe('rooms kept in this browser', () => {
  it('keeps the newest room first, once, across a reload', () => {
    const storage = memoryStorage();
    const rooms = new KeptRooms(storage);
    rooms.keep(maths, new Date('2026-11-30T09:00:00Z'));
    rooms.keep(svt, new Date('2026-11-30T10:00:00Z'));
    rooms.keep(maths, new Date('2026-11-30T11:00:00Z'));
    const reloaded = new KeptRooms(storage);
    expect(reloaded.list.map((r) => r.name)).toEqual(['Maths 4e B', 'SVT']);
    expect(reloaded.list[0].createdAt).toBe('2026-11-30T11:00:00.000Z');
  });

  it('forgets a room for good', () => {
    const storage = memoryStorage();
    const rooms = new KeptRooms(storage);
    rooms.keep(maths);
    rooms.keep(svt);
    rooms.forget('MOD1');
    expect(new KeptRooms(storage).list.map((r) => r.name)).toEqual(['SVT']);
  });

  it('reads a damaged list as empty', () => {
    expect(parseRooms('{not json')).toEqual([]);
    expect(parseRooms('[{"name":1}]')).toEqual([]);
    expect(parseRooms(null)).toEqual([]);
  });
});
