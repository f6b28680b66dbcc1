import { z } from 'zod';

/**
 * The rooms created in this browser, so a teacher finds their links again next week. Kept in
 * localStorage until accounts exist; the codes are the only secret and never leave the browser.
 */
const KeptRoom = z.object({
  name: z.string(),
  moderatorCode: z.string(),
  viewerCode: z.string(),
  createdAt: z.string(),
});
export type KeptRoom = z.infer<typeof KeptRoom>;

const KEY = 'estrade.rooms';

/** Reads the stored list; anything unreadable (an older format, a hand edit) counts as empty. */
export function parseRooms(raw: string | null): KeptRoom[] {
  if (!raw) return [];
  try {
    const parsed = z.array(KeptRoom).safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Adds a room first in the list; the same room created twice is kept once. */
export function withRoom(rooms: KeptRoom[], room: KeptRoom): KeptRoom[] {
  return [room, ...rooms.filter((r) => r.moderatorCode !== room.moderatorCode)];
}

export class KeptRooms {
  list = $state<KeptRoom[]>([]);

  constructor(private storage: Storage) {
    this.list = parseRooms(storage.getItem(KEY));
  }

  keep(room: Omit<KeptRoom, 'createdAt'>, now = new Date()) {
    this.save(withRoom(this.list, { ...room, createdAt: now.toISOString() }));
  }

  forget(moderatorCode: string) {
    this.save(this.list.filter((r) => r.moderatorCode !== moderatorCode));
  }

  private save(rooms: KeptRoom[]) {
    this.list = rooms;
    this.storage.setItem(KEY, JSON.stringify(rooms));
  }
}
