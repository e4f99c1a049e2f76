"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, ApiRequestError } from "@/components/api-client";
import { pendingQueryKey } from "@/components/shell/pending-badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

/** Save a version to a file: passwords left out, or encrypted with a passphrase. */
export function ExportDialog({ version, onClose }: { version: number; onClose: () => void }) {
  const [secrets, setSecrets] = useState<"omit" | "encrypted">("omit");
  const [passphrase, setPassphrase] = useState("");
  const save = useMutation({
    mutationFn: async () => {
      const response = await fetch(`/api/v1/snapshots/${version}/export`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(secrets === "omit" ? { secrets } : { secrets, passphrase }),
      });
      if (!response.ok) throw new ApiRequestError(response.status, (await response.json()).error);
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement("a"), {
        href: url,
        download: `softswitch-config-v${version}.json`,
      });
      link.click();
      URL.revokeObjectURL(url);
    },
    onSuccess: onClose,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Dialog open title={`Export version ${version}`} onClose={onClose}>
      {save.error && <Notice tone="error">{save.error.message}</Notice>}
      <form onSubmit={submit}>
        <fieldset className="mb-3 text-sm">
          <legend className="mb-1 font-medium">Gateway passwords</legend>
          <label className="flex gap-2">
            <input type="radio" name="secrets" checked={secrets === "omit"} onChange={() => setSecrets("omit")} />
            Leave them out
          </label>
          <label className="flex gap-2">
            <input
              type="radio"
              name="secrets"
              checked={secrets === "encrypted"}
              onChange={() => setSecrets("encrypted")}
            />
            Encrypt them with a passphrase
          </label>
        </fieldset>
        {secrets === "encrypted" && (
          <TextField
            label="Passphrase"
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoComplete="new-password"
            hint="At least 12 characters. Needed to import the file; it is not stored anywhere."
            error={save.error instanceof ApiRequestError ? save.error.fieldError("passphrase") : undefined}
          />
        )}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={save.isPending}>
            Download file
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** A configuration file becomes pending edits, reviewed on the reload screen. */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const [file, setFile] = useState<unknown>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState("");
  const load = useMutation({
    mutationFn: () =>
      apiFetch<{ changes: number }>("/api/v1/snapshots/import", {
        method: "POST",
        body: { file, ...(passphrase ? { passphrase } : {}) },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: pendingQueryKey }),
  });
  const choose = async (f: File | undefined) => {
    if (!f) return;
    try {
      setFile(JSON.parse(await f.text()));
      setFileError(null);
    } catch {
      setFileError("The file is not JSON: choose a file exported from a Softswitch Console.");
    }
  };
  const problems = load.error instanceof ApiRequestError ? (load.error.error.issues ?? []) : [];
  return (
    <Dialog open title="Import a configuration file" onClose={onClose}>
      <p className="mb-3 text-sm text-slate-700">
        The file replaces the saved configuration as pending edits; nothing reaches the engine until you reload.
      </p>
      {load.data ? (
        <Notice tone="success">
          Imported: {load.data.changes} change{load.data.changes === 1 ? "" : "s"} now pending. Review them on the
          reload screen.
        </Notice>
      ) : (
        <>
          {(fileError || load.error) && (
            <Notice tone="error">
              {fileError ?? load.error?.message}
              {problems.length > 0 && (
                <ul className="list-disc pl-5">
                  {problems.map((p) => (
                    <li key={p.path}>
                      {p.path}: {p.message}
                    </li>
                  ))}
                </ul>
              )}
            </Notice>
          )}
          <label htmlFor="config-file" className="block text-sm font-medium">
            Configuration file
          </label>
          <input
            id="config-file"
            type="file"
            accept=".json,application/json"
            className="mb-3 mt-1 block text-sm"
            onChange={(e) => choose(e.target.files?.[0])}
          />
          <TextField
            label="Passphrase (when its passwords are encrypted)"
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoComplete="off"
          />
        </>
      )}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          {load.data ? "Close" : "Cancel"}
        </Button>
        {!load.data && (
          <Button disabled={!file || load.isPending} onClick={() => load.mutate()}>
            Import as pending edits
          </Button>
        )}
      </div>
    </Dialog>
  );
}
