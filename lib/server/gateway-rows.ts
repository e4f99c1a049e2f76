import type { RewriteRule } from "@/lib/domain/gateway-fields";

// Lists and rewrite rules are kept as JSON text in their columns (SQLite has no arrays).

export const toJson = (value: unknown): string => JSON.stringify(value);
export const listOf = <T = string>(text: string): T[] => JSON.parse(text) as T[];
export const ruleOf = (text: string): RewriteRule => JSON.parse(text) as RewriteRule;

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };
