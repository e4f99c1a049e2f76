import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules", ".next", "generated", "test-results", "playwright-report", "next-env.d.ts", "dist"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.mjs", "**/*.cjs"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", setTimeout: "readonly", clearTimeout: "readonly" },
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // A catch that swallows an error is a defect.
      "no-empty": ["error", { allowEmptyCatch: false }],
    },
  },
  {
    // The engine is a plain Node process: no Next, no React, no Prisma, no web-side code (DESIGN.md).
    files: ["lib/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["next", "next/*"], message: "lib/engine must not import Next." },
            { group: ["react", "react-dom", "react/*"], message: "lib/engine must not import React." },
            { group: ["@prisma/*", "prisma", "@/generated/*"], message: "lib/engine never touches the database." },
            {
              group: ["@/lib/server/*", "@/components/*", "@/app/*"],
              message: "lib/engine imports only node:*, lib/domain and its own files.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["node:*", "next", "next/*", "react", "@prisma/*", "@/lib/server/*", "@/lib/engine/*"],
              message: "lib/domain is zod only, shared by both ends.",
            },
          ],
        },
      ],
    },
  },
);
