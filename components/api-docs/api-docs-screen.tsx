"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";

type OpenApiOperation = {
  summary: string;
  description: string;
  parameters: Array<{ name: string; in: string; required: boolean; description?: string }>;
  requestBody?: { content: { "application/json": { schema: unknown } } };
  responses: Record<
    string,
    { description?: string; $ref?: string; content?: { "application/json": { schema: unknown } } }
  >;
};
type OpenApiDocument = { info: { description: string }; paths: Record<string, Record<string, OpenApiOperation>> };

const methodColour: Record<string, string> = {
  get: "bg-blue-100 text-blue-900",
  post: "bg-green-100 text-green-900",
  patch: "bg-amber-100 text-amber-950",
  delete: "bg-red-100 text-red-900",
};

/** Renders the OpenAPI document the server generates from its zod schemas. */
export function ApiDocsScreen() {
  const query = useQuery({ queryKey: ["openapi"], queryFn: () => apiFetch<OpenApiDocument>("/api/v1/openapi.json") });
  return (
    <>
      <PageHeader
        title="REST API"
        description={
          <>
            The same rules as the screens. Download the{" "}
            <a className="text-blue-800 underline" href="/api/v1/openapi.json">
              OpenAPI 3.1 document
            </a>{" "}
            for client generators.
          </>
        }
      />
      {query.error && <Notice tone="error">Could not load the API description: {query.error.message}</Notice>}
      {query.data && <p className="mb-4 text-sm">{query.data.info.description}</p>}
      {query.data &&
        Object.entries(query.data.paths).flatMap(([path, methods]) =>
          Object.entries(methods).map(([method, op]) => (
            <details key={`${method} ${path}`} className="mb-2 rounded-md border border-slate-200 bg-white">
              <summary className="flex cursor-pointer items-center gap-3 p-2 text-sm">
                <span
                  className={`w-16 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold uppercase ${methodColour[method]}`}
                >
                  {method}
                </span>
                <code>{path}</code>
                <span className="text-slate-700">{op.summary}</span>
              </summary>
              <div className="border-t border-slate-200 p-3 text-sm">
                <p className="mb-2">{op.description}</p>
                {op.parameters.length > 0 && (
                  <ul className="mb-2 list-disc pl-5">
                    {op.parameters.map((p) => (
                      <li key={p.name}>
                        <code>{p.name}</code> ({p.in}
                        {p.required ? ", required" : ""}) {p.description}
                      </li>
                    ))}
                  </ul>
                )}
                {op.requestBody && (
                  <>
                    <h3 className="font-medium">Request body</h3>
                    <pre
                      tabIndex={0}
                      aria-label="Request body schema"
                      className="mb-2 overflow-x-auto rounded bg-slate-100 p-2 text-xs"
                    >
                      {JSON.stringify(op.requestBody.content["application/json"].schema, null, 2)}
                    </pre>
                  </>
                )}
                <h3 className="font-medium">Responses</h3>
                <ul className="list-disc pl-5">
                  {Object.entries(op.responses).map(([code, r]) => (
                    <li key={code}>
                      <code>{code}</code> {r.description ?? r.$ref?.replace("#/components/responses/E", "error ")}
                    </li>
                  ))}
                </ul>
              </div>
            </details>
          )),
        )}
    </>
  );
}
