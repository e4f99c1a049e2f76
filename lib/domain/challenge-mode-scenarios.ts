import type { ChallengeMode } from "@/lib/domain/challenge-mode-recommender";

/** What each SIP scenario gets under each SS_AUTHCHALLENGEMODE (DESIGN.md domain rules). */
export type ScenarioOutcome = string;

export const challengeScenarios: ReadonlyArray<{
  scenario: string;
  byMode: Record<ChallengeMode, ScenarioOutcome>;
  note: string;
}> = [
  {
    scenario: "REGISTER from a phone (Password mapping gateway)",
    byMode: { 1: "401 + WWW-Authenticate", 2: "407 + Proxy-Authenticate", 3: "401 + WWW-Authenticate" },
    note: "The phone answers with Authorization (after 401) or Proxy-Authorization (after 407); both are accepted.",
  },
  {
    scenario: "INVITE from a mapping gateway (Password mode)",
    byMode: { 1: "401 + WWW-Authenticate", 2: "407 + Proxy-Authenticate", 3: "407 + Proxy-Authenticate" },
    note: "IP and IP+Port gateways are never challenged: their source address identifies them.",
  },
  {
    scenario: "INVITE between extensions (registered phone to registered phone)",
    byMode: { 1: "401 + WWW-Authenticate", 2: "407 + Proxy-Authenticate", 3: "407 + Proxy-Authenticate" },
    note: "The calling phone is challenged like any other INVITE; ACK and CANCEL never are (RFC 3261 §22.1).",
  },
  {
    scenario: "Our REGISTER to a carrier (register-out routing gateway)",
    byMode: { 1: "not affected", 2: "not affected", 3: "not affected" },
    note: "The carrier chooses: its 401 is answered with Authorization, its 407 with Proxy-Authorization, once.",
  },
  {
    scenario: "Our INVITE to a carrier (routing gateway)",
    byMode: { 1: "not affected", 2: "not affected", 3: "not affected" },
    note: "Same as above, with the routing gateway's credentials; a second challenge for the same realm fails the attempt.",
  },
];
