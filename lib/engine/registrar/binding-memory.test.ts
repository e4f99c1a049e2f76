import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { FakeClock } from "@/lib/engine/clock";
import { BINDINGS_FILE, loadBindings, saveBindings } from "@/lib/engine/registrar/binding-persistence";
import { Registrar } from "@/lib/engine/registrar/binding-store";
import { PARAMS, registerRequest } from "@/lib/engine/registrar/test-register";

// Measures what 100,000 live bindings cost (DESIGN.md: well under 200 MB). Only the listing is
// asserted; time and memory are printed, as they depend on the machine.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe("100,000 bindings", () => {
  it("registers 100,000 accounts and lists them all", () => {
    const N = 100_000;
    const clock = new FakeClock();
    const store = new Registrar({ clock });
    const before = heapUsed();
    const started = performance.now();
    for (let i = 0; i < N; i++) {
      const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const request = registerRequest({
        user: `acct${i}`,
        callId: `${i.toString(36)}-8f14e45fceea167a5a36dedd4bea2543@${address}`,
        contacts: [`<sip:acct${i}@${address}:5060;transport=udp>`],
        userAgent: "Yealink SIP-T46S 66.86.0.15",
      });
      store.handleRegister(`gateway-${i}`, request, { transport: "udp", address, port: 5060 }, PARAMS);
    }
    const elapsed = performance.now() - started;
    const delta = heapUsed() - before;
    console.log(
      `100,000 bindings: heapUsed +${(delta / 1048576).toFixed(1)} MB, ${Math.round(delta / N)} bytes per binding, ${Math.round(elapsed)} ms to parse and register`,
    );
    const page = store.list();
    expect(page.total).toBe(N);
    expect(new Set(page.bindings.map((b) => b.accountId)).size).toBe(N);
    expect(store.count()).toBe(N);
    const dataDir = mkdtempSync(path.join(tmpdir(), "bindings-100k-"));
    try {
      const saveStarted = performance.now();
      expect(saveBindings(dataDir, store)).toEqual({ ok: true, count: N });
      const saveMs = performance.now() - saveStarted;
      const loadStarted = performance.now();
      expect(loadBindings(dataDir, new Registrar({ clock }), clock.now())).toMatchObject({ ok: true, loaded: N });
      const size = statSync(path.join(dataDir, BINDINGS_FILE)).size;
      console.log(
        `saved in ${Math.round(saveMs)} ms (${(size / 1048576).toFixed(1)} MB), loaded in ${Math.round(performance.now() - loadStarted)} ms`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
