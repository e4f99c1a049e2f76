import type { SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import type { TestCallResult } from "@/lib/domain/cdr";
import type { TraceQuery, TraceRecord } from "@/lib/domain/control-api";
import type { Clock, TimerHandle } from "@/lib/engine/clock";
import { getHeader } from "@/lib/engine/sip/header-access";
import type { HeaderInit, SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { getTo } from "@/lib/engine/sip/accessors";
import { buildRequest } from "@/lib/engine/sip/serializer";
import { buildCancel } from "@/lib/engine/transaction/client-requests";
import { ANSWER_IGNORED, type ClientTransaction } from "@/lib/engine/transaction/client-transaction";
import type { TransactionLayer } from "@/lib/engine/transaction/transaction-layer";
import type { Remote } from "@/lib/engine/transport/remote";
import { answerCarrierChallenge } from "@/lib/engine/routing/carrier-auth";
import {
  buildInDialogRequest,
  buildOutboundInvite,
  contactUriOf,
  localContact,
  newCallId,
  newTag,
  recordRoutes,
  type DialogLeg,
  type LocalAddress,
} from "@/lib/engine/routing/leg-messages";

// The Test button on a routing gateway (issue 9): OPTIONS (RFC 3261 §11), then an INVITE to the
// number through this carrier only, its 401/407 answered once like a real call (§22.2); a 2xx is
// ACKed and ended with BYE at once (§13.2.2.4, §15.1.1), a call ringing too long is CANCELled
// (§9.1). One Call-ID for the whole test, so the trace ring gives its messages in order. No CDR.

export const TEST_CALLER = "softswitch-test";
const OPTIONS_WAIT_MS = 5_000;
const RING_MS = 10_000;
const BYE_WAIT_MS = 3_000;
const SDP = (host: string) =>
  `v=0\r\no=softswitch 1 1 IN IP4 ${host}\r\ns=softswitch test\r\nc=IN IP4 ${host}\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=inactive\r\n`;

export type TestCallDeps = {
  readonly clock: Clock;
  readonly transactions: Pick<TransactionLayer, "sendRequest" | "sendStateless">;
  readonly local: () => LocalAddress;
  readonly trace: (q: TraceQuery) => TraceRecord[];
};

/**
 * Runs the test to its end (at most about 20 s); never rejects. `contact`: a dynamic gateway's
 * registered address (it is reached there, like a call); static gateways are reached at their own.
 */
export function runTestCall(
  deps: TestCallDeps,
  gateway: SnapshotRoutingGateway,
  contact: Remote | null,
  number: string,
): Promise<TestCallResult> {
  const target =
    gateway.kind === "dynamic"
      ? contact
      : gateway.address === null
        ? null
        : { transport: gateway.transport, address: gateway.address, port: gateway.port };
  if (target === null) {
    const summary = "The carrier has no address to send to (a dynamic gateway that is not registered)";
    return Promise.resolve({
      ok: false,
      options: { code: null, reason: "not sent" },
      invite: { code: null, reason: "not sent", challenged: false },
      summary,
      messages: [],
    });
  }
  return new Promise((resolve) => new TestCall(deps, gateway, target, number, resolve).start());
}

class TestCall {
  private readonly callId: string;
  private readonly fromTag = newTag();
  private readonly realms = new Set<string>();
  private readonly inbound: SipRequest;
  private cseq = 0;
  private tx: ClientTransaction | null = null;
  private invite: SipRequest | null = null;
  private timer: TimerHandle | null = null;
  private ringing = false;
  private cancelled = false;
  private done = false;
  private options: TestCallResult["options"] = { code: null, reason: "not sent" };
  private result: TestCallResult["invite"] = { code: null, reason: "not sent", challenged: false };
  private challengeCode = 0;

  constructor(
    private readonly deps: TestCallDeps,
    private readonly gateway: SnapshotRoutingGateway,
    private readonly target: Remote,
    private readonly number: string,
    private readonly resolve: (result: TestCallResult) => void,
  ) {
    const local = deps.local();
    this.callId = newCallId(local.host);
    // The INVITE is built as for a real call from this stand-in for a caller's INVITE
    this.inbound = buildRequest({
      method: "INVITE",
      uri: `sip:${number}@${local.host}`,
      headers: [
        ["From", `<sip:${TEST_CALLER}@${local.host}>;tag=x`],
        ["Max-Forwards", "70"],
        ["Content-Type", "application/sdp"],
      ],
      body: Buffer.from(SDP(local.host)),
    });
  }

  start(): void {
    const local = this.deps.local();
    const host = `${local.host}:${local.port}`;
    const request = buildRequest({
      method: "OPTIONS",
      uri: `sip:${this.target.address}:${this.target.port}${this.target.transport === "tcp" ? ";transport=tcp" : ""}`,
      headers: [
        ["Via", `SIP/2.0/${this.target.transport.toUpperCase()} ${host};rport`],
        ["Max-Forwards", "70"],
        ["From", `<sip:${TEST_CALLER}@${host}>;tag=${this.fromTag}`],
        ["To", `<sip:${this.target.address}:${this.target.port}>`],
        ["Call-ID", this.callId],
        ["CSeq", `${++this.cseq} OPTIONS`],
        ["Contact", localContact(local, this.target.transport)],
        ["Accept", "application/sdp"],
      ],
    });
    let answered = false;
    const failed = (reason: string) => {
      if (answered || this.done) return;
      answered = true;
      this.options = { code: null, reason };
      this.finish(
        false,
        reason === "unreachable" ? "Carrier unreachable (OPTIONS could not be sent)" : "No answer to OPTIONS",
      );
    };
    this.deps.transactions.sendRequest(request, this.target, {
      onResponse: (response) => {
        if (response.status < 200 || answered || this.done) return;
        answered = true;
        this.timer?.cancel();
        this.options = { code: response.status, reason: response.reason };
        this.sendInvite();
      },
      onTimeout: () => failed("no answer"),
      onTransportError: () => failed("unreachable"),
    });
    this.timer = this.deps.clock.setTimer(OPTIONS_WAIT_MS, () => failed("no answer"));
  }

  private sendInvite(credentials?: HeaderInit): void {
    this.invite = buildOutboundInvite({
      inbound: this.inbound,
      candidate: {
        gateway: { ...this.gateway, fromUser: null },
        target: this.target,
        callee: this.number,
        caller: TEST_CALLER,
        matchLength: 0,
      },
      local: this.deps.local(),
      callId: this.callId,
      fromTag: this.fromTag,
      cseq: ++this.cseq,
      credentials,
    });
    this.ringing = false;
    const tx = this.deps.transactions.sendRequest(this.invite, this.target, {
      onResponse: (response, t) => t === this.tx && this.onResponse(response),
      onTimeout: (t) => t === this.tx && this.inviteFailed(null, "no answer", "No answer to INVITE"),
      onTransportError: (t) => t === this.tx && this.inviteFailed(null, "unreachable", "Carrier unreachable"),
    });
    this.tx = tx;
    this.timer?.cancel();
    // A carrier that rings (or stays silent) this long gets a CANCEL (§9.1: only after a provisional)
    this.timer = this.deps.clock.setTimer(RING_MS, () => {
      if (!this.ringing) return this.inviteFailed(null, "no answer", "No answer to INVITE");
      this.cancelled = true;
      this.deps.transactions.sendRequest(buildCancel(tx.request), this.target, ANSWER_IGNORED);
      this.timer = this.deps.clock.setTimer(BYE_WAIT_MS, () =>
        this.inviteFailed(null, "cancelled", "No answer within 10 s; cancelled"),
      );
    });
  }

  private onResponse(response: SipResponse): void {
    if (this.done) {
      // A 2xx after we gave up: acknowledge and end it (RFC 3261 §15)
      if (response.status >= 200 && response.status < 300) this.ackAndBye(response, () => undefined);
      return;
    }
    const { status, reason } = response;
    if (status < 200) {
      if (status > 100) this.ringing = true;
      return;
    }
    this.timer?.cancel();
    if (status < 300) {
      this.result = { code: status, reason, challenged: this.challengeCode !== 0 };
      return this.ackAndBye(response, () =>
        this.finish(true, this.challengeCode ? `Answered after a ${this.challengeCode} challenge` : "Answered"),
      );
    }
    if (status === 401 || status === 407) return this.onChallenge(response);
    if (this.cancelled) return this.inviteFailed(response, reason, `No answer within 10 s; cancelled (${status})`);
    this.inviteFailed(response, reason, `Carrier refused the call: ${status} ${reason}`);
  }

  private onChallenge(response: SipResponse): void {
    const answer = answerCarrierChallenge(
      response,
      this.gateway,
      { method: "INVITE", uri: this.invite!.uri },
      this.realms,
    );
    if (answer.ok) {
      this.challengeCode = response.status;
      return this.sendInvite([answer.header, answer.value]);
    }
    const why = {
      "repeated-challenge": `Carrier refused our credentials (second ${response.status})`,
      "no-credentials": `Carrier asked for credentials (${response.status}) but the gateway has none`,
      "realm-mismatch": `Carrier's realm does not match the gateway's realm (${response.status})`,
      "unsupported-challenge": `Carrier's challenge cannot be answered (${response.status})`,
    }[answer.reason];
    this.inviteFailed(response, response.reason, why);
  }

  private ackAndBye(response: SipResponse, then: () => void): void {
    const invite = this.invite!;
    // RFC 3261 §12.1.2: the carrier's dialog from the 2xx; ACK and BYE are requests inside it
    const leg: DialogLeg = {
      callId: this.callId,
      localTag: this.fromTag,
      localHeader: getHeader(invite, "from") ?? "",
      remoteTag: getTo(response)?.tag ?? null,
      remoteHeader: getHeader(response, "to") ?? "",
      remoteTarget: contactUriOf(response, invite.uri),
      routeSet: recordRoutes(response).reverse(),
      localCSeq: this.cseq,
      destination: this.target,
    };
    const local = this.deps.local();
    this.deps.transactions.sendStateless(buildInDialogRequest(leg, "ACK", this.cseq, local), this.target);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      timer.cancel();
      then();
    };
    const timer = this.deps.clock.setTimer(BYE_WAIT_MS, end);
    this.deps.transactions.sendRequest(buildInDialogRequest(leg, "BYE", ++this.cseq, local), this.target, {
      onResponse: (r) => r.status >= 200 && end(),
      onTimeout: end,
      onTransportError: end,
    });
  }

  private inviteFailed(response: SipResponse | null, reason: string, summary: string): void {
    if (this.done) return;
    this.result = { code: response?.status ?? null, reason, challenged: this.challengeCode !== 0 };
    this.finish(false, summary);
  }

  private finish(ok: boolean, summary: string): void {
    if (this.done) return;
    this.done = true;
    this.timer?.cancel();
    const messages = this.deps
      .trace({ callId: this.callId, limit: 5000 })
      .map((r) => ({ direction: r.direction, at: r.at, text: r.text }));
    this.resolve({ ok, options: this.options, invite: this.result, summary, messages });
  }
}
