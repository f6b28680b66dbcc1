/**
 * Follows the loudness of a microphone stream (RMS of the waveform, 0..1, held and decaying),
 * 20 times a second. Returns a function that stops it.
 */
export function watchLevel(stream: MediaStream, onLevel: (level: number) => void): () => void {
  const ctx = new AudioContext();
  const source = ctx.createMediaStreamSource(stream);
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let held = 0;
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const v of samples) sum += v * v;
    // Peak hold with a decay, as a VU meter does: speech is bursts, the display should not flicker.
    held = Math.max(Math.min(1, Math.sqrt(sum / samples.length) * 4), held * 0.85);
    onLevel(held);
  }, 50);
  void ctx.resume();
  return () => {
    clearInterval(timer);
    source.disconnect();
    void ctx.close();
  };
}

const MIC_KEY = 'estrade.microphone';
export const preferredMicrophone = () => localStorage.getItem(MIC_KEY) ?? undefined;
export const rememberMicrophone = (deviceId: string) => localStorage.setItem(MIC_KEY, deviceId);
