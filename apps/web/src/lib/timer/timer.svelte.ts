import type { ClassroomConnection } from '../classroom/connection.svelte';
import type { Run } from '../classroom/feedback';

const MUTED_KEY = 'estrade.timer.muted';

/** Countdown presets, in minutes. */
export const PRESETS = [1, 3, 5, 10] as const;

/**
 * The class timer's client side: the presenter's and moderators' actions, and each person's own
 * "no sound at the end" (kept in this browser). What it shows comes from the meeting state and
 * the server's clock (see ClassroomContext.now).
 */
export class TimerStore {
  muted = $state(false);

  constructor(
    private readonly conn: ClassroomConnection,
    private readonly run: Run,
  ) {
    try {
      this.muted = localStorage.getItem(MUTED_KEY) === '1';
    } catch {
      // No storage (private mode): the sound stays on.
    }
  }

  /** Rings once when a countdown with sound ends, unless this person muted it. */
  start(): () => void {
    return this.conn.onEvent(({ event }) => {
      if (event.type === 'timer.ended' && this.conn.state?.timer?.sound && !this.muted) ring();
    });
  }

  setMuted(muted: boolean) {
    this.muted = muted;
    try {
      localStorage.setItem(MUTED_KEY, muted ? '1' : '0');
    } catch {
      // Not kept: fine for this page.
    }
  }

  countdown(minutes: number, sound: boolean) {
    return this.run(() =>
      this.conn.send({ type: 'timer.start', mode: 'countdown', durationMs: Math.round(minutes * 60_000), sound }),
    );
  }
  stopwatch() {
    return this.run(() => this.conn.send({ type: 'timer.start', mode: 'stopwatch', sound: false }));
  }
  pause() {
    return this.run(() => this.conn.send({ type: 'timer.pause' }));
  }
  resume() {
    return this.run(() => this.conn.send({ type: 'timer.resume' }));
  }
  reset() {
    return this.run(() => this.conn.send({ type: 'timer.reset' }));
  }
  clear() {
    return this.run(() => this.conn.send({ type: 'timer.clear' }));
  }
}

/** Three short notes (Web Audio: no sound file to load). */
function ring() {
  try {
    const ctx = new AudioContext();
    [0, 0.25, 0.5].forEach((when, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = i === 2 ? 1046 : 784;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + when);
      osc.stop(ctx.currentTime + when + 0.18);
    });
    setTimeout(() => void ctx.close(), 1500);
  } catch {
    // No audio here: the display still says it is over.
  }
}
