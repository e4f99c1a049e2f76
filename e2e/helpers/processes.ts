import { expect, test as base } from "@playwright/test";
import { startBaresip, type Baresip } from "./baresip";
import { startConsoleServer, type ConsoleServer } from "./console-server";
import { startEngineProcess, type EngineProcess } from "./engine-process";
import { startKamailio, type KamailioProcess } from "./kamailio";
import { startSipp, type SippHandle } from "./sipp";

// Every process a test starts goes through this fixture, whose teardown stops it after the test,
// passed or failed: a failing test leaves no engine, sipp, Kamailio, baresip or console behind.

export type Processes = {
  engine(...args: Parameters<typeof startEngineProcess>): Promise<EngineProcess>;
  sipp(...args: Parameters<typeof startSipp>): Promise<SippHandle>;
  console(...args: Parameters<typeof startConsoleServer>): Promise<ConsoleServer>;
  kamailio(...args: Parameters<typeof startKamailio>): Promise<KamailioProcess>;
  baresip(...args: Parameters<typeof startBaresip>): Promise<Baresip>;
};

export const test = base.extend<{ processes: Processes }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  processes: async ({}, use) => {
    const started: { stop(): unknown }[] = [];
    const track = <T extends { stop(): unknown }>(process: T): T => {
      started.push(process);
      return process;
    };
    await use({
      engine: async (...args) => track(await startEngineProcess(...args)),
      sipp: async (...args) => track(await startSipp(...args)),
      console: async (...args) => track(await startConsoleServer(...args)),
      kamailio: async (...args) => track(await startKamailio(...args)),
      baresip: async (...args) => track(await startBaresip(...args)),
    });
    await Promise.all(started.map((process) => process.stop()));
  },
});

export { expect };
