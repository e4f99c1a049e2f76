import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FakeClock } from "@/lib/engine/clock";
import { getCSeq } from "@/lib/engine/sip/accessors";
import { getHeader } from "@/lib/engine/sip/header-access";
import type { SipResponse } from "@/lib/engine/sip/message";
import {
  A,
  CALLER,
  DEFAULT_SETTINGS,
  callerInvite,
  inDialog,
  setup,
  toTagOf,
} from "@/lib/engine/routing/b2bua-test-harness";
import { DIALOG_JOURNAL_FILE, DialogJournal, readDialogJournal } from "@/lib/engine/routing/dialog-journal";
import { routingGateway } from "@/lib/engine/routing/test-gateways";

// Issue 18: calls across an engine restart, through the real dialog journal file: an engine (one
// harness) runs calls and journals them; a second engine (a fresh harness) reads the file and resumes.

const CONTACT = "Contact: <sip:carrier@203.0.113.5:5060>";
const ROUTING = [routingGateway("a")];

/** An engine whose calls are journaled to `dir`. */
function engineWithJournal(dir: string) {
  const t = setup(ROUTING);
  const journal = new DialogJournal({ dataDir: dir, clock: new FakeClock(), checkpoint: () => t.b2bua.checkpoint() });
  t.b2bua.attachJournal(journal);
  return { ...t, journal };
}

function answeredCall(dir: string) {
  const t = engineWithJournal(dir);
  t.layer.receive(callerInvite(), CALLER);
  t.answer(A, "INVITE", 200, "OK", [CONTACT, "Session-Expires: 1800;refresher=uac"], "v=0\r\n");
  const tag = toTagOf(t.to(CALLER).at(-1)!)!;
  t.layer.receive(inDialog("ACK", { toTag: tag, cseq: 10, branch: "z9hG4bKack1" }), CALLER);
  t.peerRequest(CALLER, "INFO", 11);
  t.answer(A, "INFO", 200, "OK");
  return { ...t, tag };
}

describe("the dialog journal", () => {
  it("gives back the calls still live, a torn last line ignored", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ssc-dialogs-"));
    const t = answeredCall(dir);
    await t.journal.flush();
    appendFileSync(path.join(dir, DIALOG_JOURNAL_FILE), '{"t":"end","id":"trunc');
    const live = readDialogJournal(dir);
    expect([...live.values()].map((s) => [s.up?.callee, s.up?.b.localCSeq, s.up?.sessionInterval])).toEqual([
      ["0044123", 2, 1800],
    ]);
  });

  it("forgets a call once it ended; rotates to a checkpoint of the live calls past its size", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ssc-dialogs-"));
    const t = answeredCall(dir);
    t.layer.receive(inDialog("BYE", { toTag: t.tag, cseq: 12, branch: "z9hG4bKbye1" }), CALLER);
    await t.journal.flush();
    expect(readDialogJournal(dir).size).toBe(0);

    const small = setup(ROUTING);
    const journal = new DialogJournal({
      dataDir: dir,
      clock: new FakeClock(),
      checkpoint: () => small.b2bua.checkpoint(),
      maxBytes: 16_384,
    });
    small.b2bua.attachJournal(journal);
    small.layer.receive(callerInvite(), CALLER);
    small.answer(A, "INVITE", 200, "OK", [CONTACT]);
    for (let i = 0; i < 400; i++) journal.append({ t: "interval", id: "noise", seconds: i });
    await journal.flush();
    const text = readFileSync(path.join(dir, DIALOG_JOURNAL_FILE), "utf8");
    expect(text.length).toBeLessThan(16_384);
    expect(text).not.toContain("noise"); // rewritten: only the live call's checkpoint is left
    expect([...readDialogJournal(dir).values()].map((s) => s.up?.callee)).toEqual(["0044123"]);
  });
});

describe("resuming after a restart", () => {
  it("an answered call: the caller's BYE reaches the carrier in its dialog, CSeq past anything sent before", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ssc-dialogs-"));
    const before = answeredCall(dir);
    await before.journal.flush(); // the engine dies (kill -9): nothing more is written
    const callId = getHeader(before.last(A, "INVITE"), "call-id");

    const after = setup(ROUTING);
    expect(after.b2bua.resume(readDialogJournal(dir), ROUTING, DEFAULT_SETTINGS)).toEqual({ resumed: 1, ended: 0 });
    expect(after.b2bua.liveCalls()).toMatchObject([{ state: "answered", routingGatewayId: "a", callee: "0044123" }]);
    after.layer.receive(inDialog("BYE", { toTag: before.tag, cseq: 12, branch: "z9hG4bKbye2" }), CALLER);
    expect(after.lines(CALLER)).toEqual(["200"]);
    const bye = after.last(A, "BYE");
    expect(getHeader(bye, "call-id")).toBe(callId);
    expect(getHeader(bye, "to")).toMatch(/;tag=carrier1$/);
    expect(getCSeq(bye)!.number).toBeGreaterThan(2);
    expect(after.records.at(-1)).toMatchObject({ endedBy: "caller", answeredAt: expect.any(Number) });
  });

  it("an answered call: the carrier's BYE reaches the caller; its session timer runs on", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ssc-dialogs-"));
    const before = answeredCall(dir);
    await before.journal.flush();
    const after = setup(ROUTING);
    after.b2bua.resume(readDialogJournal(dir), ROUTING, { ...DEFAULT_SETTINGS, sessionTtlMs: 0 });
    after.peerRequestFrom(A, before.last(A, "INVITE"), "BYE", 7);
    expect(after.last(CALLER, "BYE").uri).toBe("sip:1000@192.0.2.10:5062");
    expect(after.b2bua.liveCalls()).toEqual([]);

    const timed = setup(ROUTING);
    timed.b2bua.resume(readDialogJournal(dir), ROUTING, { ...DEFAULT_SETTINGS, sessionTtlMs: 0 });
    timed.clock.advance((1800 - 32) * 1000);
    expect(timed.lines(A)).toContain("BYE");
  });

  it("a call still ringing: the caller gets 503, the carrier a CANCEL; its late 487 is ACKed, a late 200 ACKed and BYEd", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ssc-dialogs-"));
    const before = engineWithJournal(dir);
    before.layer.receive(callerInvite(), CALLER);
    before.answer(A, "INVITE", 180, "Ringing", [CONTACT]);
    await before.journal.flush();
    const invite = before.last(A, "INVITE");

    const after = setup(ROUTING);
    expect(after.b2bua.resume(readDialogJournal(dir), ROUTING, DEFAULT_SETTINGS)).toEqual({ resumed: 0, ended: 1 });
    const refused = after.to(CALLER).at(-1) as SipResponse;
    expect([refused.status, toTagOf(refused)]).toEqual([503, toTagOf(before.to(CALLER).at(-1)!)]);
    const cancel = after.last(A, "CANCEL");
    expect(getHeader(cancel, "via")).toBe(getHeader(invite, "via"));

    after.answerTo(A, invite, 487, "Request Terminated");
    expect(getCSeq(after.last(A, "ACK"))).toEqual({ number: 1, method: "ACK" });
    after.answerTo(A, invite, 200, "OK", [CONTACT]);
    expect(after.lines(A).slice(-2)).toEqual(["ACK", "BYE"]);
  });
});
