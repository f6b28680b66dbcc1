import * as Y from 'yjs';
import { NOTES_FRAGMENT, NOTES_LIMITS } from '@estrade/protocol';
import { CommandError } from '../meetings/command-error';

// Whether a decoded update may be applied to the document as it is now, checked against the
// document without changing it. Yjs throws halfway through an update whose items refer to a clock
// their own client has not reached (Item.getMissing only waits for other clients), and keeps
// updates that depend on something missing aside, to be retried on every later update: both
// are refused here, so that applying an admitted update neither throws nor leaves anything
// pending. The same walk finds where each new element sits, to bound the nesting.

type Decoded = ReturnType<typeof Y.decodeUpdate>;
type Struct = Decoded['structs'][number];
interface ID {
  client: number;
  clock: number;
}
/** An item of the update once placed: its clocks, the depth of its parent, its own if it is an element. */
interface Placed {
  clock: number;
  end: number;
  parentDepth: number;
  depth: number;
}

/** What Tiptap's editor writes through y-prosemirror: text, its marks, elements and their attributes. */
const CONTENTS: unknown[] = [Y.ContentString, Y.ContentFormat, Y.ContentAny, Y.ContentType, Y.ContentDeleted];

/**
 * Passes over the update's clients: items referring to another client's items later in the
 * update need one more each. An editor's update needs one; a sync after a server's loss, a few.
 */
const MAX_PASSES = 16;

const missing = () =>
  new CommandError('malformed', 'This edit of the notes follows edits the server does not have: sync the notes again');
const malformed = (why: string) => new CommandError('malformed', `Malformed update of the notes: ${why}`);

/** Throws the reason an update may not be applied to `doc` now; returns if it may. */
export function admit(doc: Y.Doc, { structs, ds }: Decoded): void {
  const known = new Map<number, number>();
  const state = (client: number) => known.get(client) ?? Y.getState(doc.store, client);
  const placed = new Map<number, Placed[]>();
  const placedAt = (id: ID): Placed | undefined => {
    const list = placed.get(id.client);
    if (!list) return undefined;
    let [lo, hi] = [0, list.length - 1];
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].end <= id.clock) lo = mid + 1;
      else if (list[mid].clock > id.clock) hi = mid - 1;
      else return list[mid];
    }
    return undefined;
  };
  /** The depth of the type an item of the document at `id` creates (0 if it creates none). */
  const depthOfTypeAt = (id: ID): number => {
    const p = placedAt(id);
    if (p) return p.depth;
    const item = Y.getItem(doc.store, id as Y.ID);
    return item instanceof Y.Item && item.content instanceof Y.ContentType ? typeDepth(item.content.type) : 0;
  };
  /** The depth of the type holding the item at `id`. */
  const parentDepthAt = (id: ID): number => {
    const p = placedAt(id);
    if (p) return p.parentDepth;
    const item = Y.getItem(doc.store, id as Y.ID);
    return item instanceof Y.Item && item.parent instanceof Y.AbstractType ? typeDepth(item.parent) : 0;
  };

  const ready = (s: Struct): boolean => {
    if (s.id.clock > state(s.id.client)) return false;
    if (!(s instanceof Y.Item)) return true;
    const refs = [s.origin, s.rightOrigin, s.parent instanceof Y.ID ? s.parent : null];
    for (const ref of refs) {
      if (!ref) continue;
      // Yjs writes an item after what it refers to: of its own client, an earlier clock.
      if (ref.client === s.id.client && ref.clock >= s.id.clock) throw malformed('an edit refers to a later one');
      if (ref.clock >= state(ref.client)) return false;
    }
    return true;
  };

  const place = (s: Struct) => {
    const end = s.id.clock + s.length;
    known.set(s.id.client, Math.max(state(s.id.client), end));
    if (!(s instanceof Y.Item)) return;
    const content = s.content;
    if (!CONTENTS.some((c) => content instanceof (c as typeof Y.ContentString))) {
      throw malformed('the notes hold text, its formatting and elements only');
    }
    let parentDepth = 0;
    if (typeof s.parent === 'string') {
      if (s.parent !== NOTES_FRAGMENT) throw malformed('the notes have one document only');
    } else if (s.parent instanceof Y.ID) parentDepth = depthOfTypeAt(s.parent);
    else if (s.origin) parentDepth = parentDepthAt(s.origin);
    else if (s.rightOrigin) parentDepth = parentDepthAt(s.rightOrigin);
    let depth = 0;
    if (content instanceof Y.ContentType) {
      if (!(content.type instanceof Y.XmlElement || content.type instanceof Y.XmlText) || s.parentSub !== null) {
        throw malformed('the notes hold elements and text only');
      }
      depth = parentDepth + 1;
      if (depth > NOTES_LIMITS.depth) {
        throw new CommandError(
          'too_large',
          `The notes nest at most ${NOTES_LIMITS.depth} levels deep (a list in a list counts two): indent less`,
        );
      }
    }
    const list = placed.get(s.id.client) ?? [];
    list.push({ clock: s.id.clock, end, parentDepth, depth });
    placed.set(s.id.client, list);
  };

  // Skips mark gaps in a merged update: what follows one waits for the clocks it skips.
  let queue = structs.filter((s) => !(s instanceof Y.Skip));
  for (let pass = 0; queue.length > 0; pass++) {
    if (pass === MAX_PASSES) throw missing();
    const waiting: Struct[] = [];
    const blocked = new Set<number>();
    for (const s of queue) {
      if (blocked.has(s.id.client) || !ready(s)) {
        blocked.add(s.id.client);
        waiting.push(s);
      } else place(s);
    }
    if (waiting.length === queue.length) throw missing();
    queue = waiting;
  }
  // Deleting what the document does not hold would be kept aside too.
  for (const [client, deletions] of ds.clients) {
    for (const d of deletions) if (d.clock + d.len > state(client)) throw missing();
  }
}

/** How deep a type of the document sits: the elements and texts it is in, itself included. */
export function typeDepth(type: Y.AbstractType<unknown>): number {
  let n = 0;
  for (let t: unknown = type; t instanceof Y.AbstractType && t._item; t = t._item.parent) n++;
  return n;
}
