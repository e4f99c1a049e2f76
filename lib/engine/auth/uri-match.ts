// Whether a digest `uri` names the Request-URI (RFC 7616 §3.4.6, RFC 3261 §22.4).
import { parseUri, type Uri, type UriParam } from "@/lib/engine/sip/uri";
import { unescapePercent } from "@/lib/engine/sip/text";

function sortedItems(items: readonly UriParam[]): string[] {
  return items
    .map(
      (p) =>
        `${unescapePercent(p.name).toLowerCase()}=${p.value === null ? "" : unescapePercent(p.value).toLowerCase()}`,
    )
    .sort();
}

// RFC 3261 §19.1.4: scheme and host compare case-insensitively, user and password case-sensitively
// after unescaping, parameter order is irrelevant.
function canonical(uri: Uri): string {
  if (uri.kind === "other") return JSON.stringify([uri.scheme, uri.opaque]);
  return JSON.stringify([
    uri.scheme,
    uri.user === null ? null : unescapePercent(uri.user),
    uri.password === null ? null : unescapePercent(uri.password),
    uri.host.toLowerCase(),
    uri.port,
    sortedItems(uri.params),
    sortedItems(uri.headers),
  ]);
}

/**
 * True when the digest-uri is the Request-URI: byte for byte (the usual case), or the same URI
 * written differently (case of scheme and host, escapes, parameter order). A missing port is not
 * the default port: RFC 3261 §19.1.4 holds them different.
 */
export function digestUriMatches(digestUri: string, requestUri: string): boolean {
  if (digestUri === requestUri) return true;
  const a = parseUri(digestUri);
  const b = parseUri(requestUri);
  return a.ok && b.ok && canonical(a.value) === canonical(b.value);
}
