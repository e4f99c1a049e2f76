import { z } from "zod";

// Field schemas shared by mapping and routing gateways, each with the message an operator reads.

/** Canonical text of an IPv4/IPv6 address (so 2001:DB8:0::1 and 2001:db8::1 compare equal), or null. */
export function canonicalIp(text: string): string | null {
  const trimmed = text.trim();
  if (z.ipv4().safeParse(trimmed).success) return new URL(`http://${trimmed}`).hostname;
  if (!z.ipv6().safeParse(trimmed).success) return null;
  const v6 = new URL(`http://[${trimmed}]`).hostname.slice(1, -1);
  // An IPv4-mapped address (a dual-stack socket's view of an IPv4 peer) is that IPv4 address.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (!mapped) return v6;
  const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

export const ipAddressSchema = z
  .string()
  .trim()
  .refine((v) => canonicalIp(v) !== null, { error: (i) => `"${String(i.input)}" is not an IPv4 or IPv6 address` })
  .transform((v) => canonicalIp(v)!);

const HOSTNAME =
  /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export const hostSchema = z
  .string({ error: "address is required" })
  .trim()
  // A name whose last label is all digits is a mistyped IPv4 address (1.2.3.256), not a host name.
  .refine((v) => canonicalIp(v) !== null || (HOSTNAME.test(v) && !/(^|\.)\d+$/.test(v)), {
    error: (i) => `"${String(i.input)}" is not a host name or IP address`,
  })
  .transform((v) => canonicalIp(v) ?? v.toLowerCase());

export const portSchema = z
  .number({ error: "port must be a whole number from 1 to 65535" })
  .int("port must be a whole number from 1 to 65535")
  .min(1, "port must be a whole number from 1 to 65535")
  .max(65535, "port must be a whole number from 1 to 65535");

export const prefixSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{1,32}$/, {
    error: (i) => `prefix "${String(i.input)}" must be digits, optionally with a leading +`,
  });

export const nameSchema = z
  .string({ error: "name is required" })
  .trim()
  .min(1, "name is required")
  .max(64, "name must be at most 64 characters")
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 ._@+-]*$/,
    "name must start with a letter or digit and use letters, digits, spaces, . _ @ + -",
  );

export const digestUsernameSchema = z
  .string()
  .trim()
  .min(1, "username must not be empty")
  .max(64, "username must be at most 64 characters")
  .regex(/^[A-Za-z0-9._@+-]+$/, "username must use letters, digits and . _ @ + - only");

export const secretSchema = z
  .string()
  .min(4, "password must be at least 4 characters")
  .max(128, "password must be at most 128 characters")
  .regex(/^[\x20-\x7e]+$/, "password must use printable ASCII characters only");

export const capacitySchema = z
  .number({ error: "capacity must be a whole number from 0 (unlimited) to 100000" })
  .int("capacity must be a whole number from 0 (unlimited) to 100000")
  .min(0, "capacity must be a whole number from 0 (unlimited) to 100000")
  .max(100000, "capacity must be a whole number from 0 (unlimited) to 100000");

export const prioritySchema = z
  .number({ error: "priority must be a whole number from 0 to 1000" })
  .int("priority must be a whole number from 0 to 1000")
  .min(0, "priority must be a whole number from 0 to 1000")
  .max(1000, "priority must be a whole number from 0 to 1000");

/** Number rewrite: strip N leading digits, then add a prefix. */
export const rewriteRuleSchema = z.strictObject({
  strip: z
    .number({ error: "strip must be a whole number from 0 to 32" })
    .int("strip must be a whole number from 0 to 32")
    .min(0, "strip must be a whole number from 0 to 32")
    .max(32, "strip must be a whole number from 0 to 32")
    .default(0),
  prefix: z
    .string()
    .trim()
    .regex(/^\+?[0-9]{0,32}$/, "the added prefix must be digits, optionally with a leading +")
    .default(""),
});
export type RewriteRule = z.infer<typeof rewriteRuleSchema>;

export const groupNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,32}$/, {
    error: (i) => `group "${String(i.input)}" must be 1 to 32 letters, digits, . _ or -`,
  });

export const memoSchema = z.string().max(500, "memo must be at most 500 characters");

export const versionSchema = z.number({ error: "version is required (the version the change was based on)" }).int();

/** Exact duplicates removed, order kept. */
export function uniqueList<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** The query fields every gateway list shares: search, enabled, group, order and paging. */
export const gatewayListQueryFields = {
  search: z.string().trim().max(100, "search must be at most 100 characters").optional(),
  enabled: z
    .enum(["true", "false"], { error: "enabled must be true or false" })
    .transform((v) => v === "true")
    .optional(),
  group: groupNameSchema.optional(),
  order: z.enum(["asc", "desc"], { error: "order must be asc or desc" }).default("asc"),
  page: z.coerce.number({ error: "page must be a number" }).int().min(1, "page must be 1 or more").default(1),
  pageSize: z.coerce
    .number({ error: "pageSize must be a number" })
    .int()
    .min(1, "pageSize must be at least 1")
    .max(500, "pageSize must be at most 500")
    .default(50),
};

/** What the API shows of every gateway, whatever its kind: identity, version, and no password. */
export const gatewayViewFields = {
  id: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  hasPassword: z.boolean(),
  name: z.string(),
  enabled: z.boolean(),
};

export const rewriteViewSchema = z.object({ strip: z.number(), prefix: z.string() });
