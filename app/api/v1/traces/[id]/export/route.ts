import type { NextRequest } from "next/server";
import { z } from "zod";
import { traceAsText } from "@/lib/domain/trace";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, fileResponse, parseSearchParams } from "@/lib/server/http";
import { traceAsPcap } from "@/lib/server/pcap";
import { getTrace, traceMessages } from "@/lib/server/traces";

const querySchema = z.object({ format: z.enum(["pcap", "text"], { error: 'format must be "pcap" or "text"' }) });

/** A trace as a pcap file (Wireshark, tshark) or as plain text. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const query = parseSearchParams(req, querySchema);
  if (!query.ok) return query.response;
  const id = (await ctx.params).id;
  const trace = await getTrace(id);
  if (!trace) return errorResponse("not_found", `No trace ${id}`);
  const messages = await traceMessages(id, 0, 1_000_000);
  const engine = { address: trace.sipAddress ?? "127.0.0.1", port: trace.sipPort ?? 5060 };
  const name = `trace-${id}`;
  if (query.data.format === "pcap") {
    return fileResponse(new Uint8Array(traceAsPcap(messages, engine)), {
      "Content-Type": "application/vnd.tcpdump.pcap",
      "Content-Disposition": `attachment; filename="${name}.pcap"`,
    });
  }
  return fileResponse(traceAsText(messages, `${engine.address}:${engine.port}`), {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Disposition": `attachment; filename="${name}.txt"`,
  });
}
