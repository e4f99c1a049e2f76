import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, fileResponse } from "@/lib/server/http";
import { getTrace, traceMessages } from "@/lib/server/traces";

const POLL_MS = 500;
const BATCH = 500;

/**
 * Server-sent events: `message` for each captured message as it arrives, `trace` when the trace's
 * state changes (ended, messages lost). Any number of operators can watch the same trace.
 */
export async function GET(req: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const id = (await ctx.params).id;
  const first = await getTrace(id);
  if (!first) return errorResponse("not_found", `No trace ${id}`);
  const encoder = new TextEncoder();
  let timer: NodeJS.Timeout | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let after = Number(req.headers.get("last-event-id")) || 0;
      let state = "";
      const send = (event: string, data: unknown, eventId?: number) =>
        controller.enqueue(
          encoder.encode(`event: ${event}\n${eventId ? `id: ${eventId}\n` : ""}data: ${JSON.stringify(data)}\n\n`),
        );
      const tick = async () => {
        try {
          const batch = await traceMessages(id, after, BATCH);
          for (const m of batch) {
            send("message", m, m.id);
            after = m.id;
          }
          const trace = await getTrace(id);
          if (!trace) return controller.close();
          const now = JSON.stringify([trace.active, trace.lost, trace.messageCount]);
          if (now !== state) send("trace", trace);
          state = now;
          // An ended trace streams until its last messages are sent, then the stream ends.
          if (!trace.active && batch.length < BATCH) {
            send("end", { id });
            return controller.close();
          }
          timer = setTimeout(tick, POLL_MS);
        } catch (error) {
          send("failure", { message: (error as Error).message });
          controller.close();
        }
      };
      void tick();
    },
    cancel() {
      clearTimeout(timer);
    },
  });
  return fileResponse(stream, { "Content-Type": "text/event-stream", Connection: "keep-alive" });
}
