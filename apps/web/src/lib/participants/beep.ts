/** A short two-tone chime made with Web Audio: no sound file to ship or load. */
export function chime() {
  const ctx = new AudioContext();
  const gain = ctx.createGain();
  gain.gain.value = 0.15;
  gain.connect(ctx.destination);
  [660, 880].forEach((frequency, i) => {
    const osc = ctx.createOscillator();
    osc.frequency.value = frequency;
    osc.connect(gain);
    osc.start(ctx.currentTime + i * 0.12);
    osc.stop(ctx.currentTime + i * 0.12 + 0.1);
    if (i === 1) osc.onended = () => void ctx.close();
  });
}
