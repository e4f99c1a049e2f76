import { describe, expect, it } from "vitest";
import { readBodyText } from "@/lib/server/request-body";

/** A request whose body is `chunks` streamed one by one; counts how many were pulled. */
function streamed(chunks: string[], headers: Record<string, string> = {}) {
  let pulled = 0;
  // highWaterMark 0: nothing is pulled until somebody reads
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled === chunks.length) return controller.close();
        controller.enqueue(new TextEncoder().encode(chunks[pulled++]));
      },
    },
    { highWaterMark: 0 },
  );
  const req = new Request("http://console.test/api", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  return { req, pulled: () => pulled };
}

describe("readBodyText", () => {
  it("refuses a body whose Content-Length is over the limit without reading any of it", async () => {
    const { req, pulled } = streamed(["x".repeat(10)], { "content-length": String(100 * 1024 * 1024) });
    expect(await readBodyText(req, 1024 * 1024)).toEqual({
      ok: false,
      message: "The request body is larger than 1 MB",
    });
    expect(pulled()).toBe(0);
  });

  it("cuts off a body without Content-Length as soon as it passes the limit", async () => {
    const { req, pulled } = streamed(Array.from({ length: 100 }, () => "y".repeat(40)));
    expect(await readBodyText(req, 100)).toEqual({ ok: false, message: "The request body is larger than 100 bytes" });
    expect(pulled()).toBeLessThan(10);
  });

  it("returns a body within the limit whole", async () => {
    const { req } = streamed(['{"a":', "1}"]);
    expect(await readBodyText(req, 100)).toEqual({ ok: true, text: '{"a":1}' });
  });
});
