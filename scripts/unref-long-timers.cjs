// The wasm schema engine arms 10 s / 60 s timers that keep `migrate dev` alive after it finished.
const original = globalThis.setTimeout;
globalThis.setTimeout = function (fn, ms, ...args) {
  const timer = original.call(this, fn, ms, ...args);
  if (ms >= 5000 && timer && typeof timer.unref === "function") timer.unref();
  return timer;
};
