// Request bodies read with a ceiling (issue 19, finding 4): refused with 413 before anything is read
// when Content-Length says the body is too large, and cut off the moment a body without one (chunked)
// passes the ceiling, so no request can make the console hold more than `limit` bytes of it.

/** JSON bodies: the largest the API takes is a configuration file to import. */
export const JSON_LIMIT_BYTES = 1024 * 1024;
/** Configuration files (snapshot import) and CSV imports of tens of thousands of gateways. */
export const FILE_LIMIT_BYTES = 64 * 1024 * 1024;

export type BodyText = { ok: true; text: string } | { ok: false; message: string };

const tooLarge = (limit: number): BodyText => ({
  ok: false,
  message: `The request body is larger than ${limit >= 1024 * 1024 ? `${limit / (1024 * 1024)} MB` : `${limit} bytes`}`,
});

export async function readBodyText(req: Request, limit: number): Promise<BodyText> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return tooLarge(limit);
  if (req.body === null) return { ok: true, text: "" };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel("request body too large");
      return tooLarge(limit);
    }
    chunks.push(value);
  }
  return { ok: true, text: Buffer.concat(chunks).toString("utf8") };
}
