import { randomUUID } from "node:crypto";

// Long imports run in the background; the client polls their progress. Kept in memory: a job
// is either committed whole in one transaction or not at all, so a restart loses no data.

export type ImportJob = {
  id: string;
  entity: string;
  status: "running" | "done" | "failed";
  total: number;
  done: number;
  created: number;
  updated: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
};

const holder = globalThis as unknown as { importJobs?: Map<string, ImportJob> };
const jobs = (holder.importJobs ??= new Map());

export function startImportJob(entity: string, total: number, run: (job: ImportJob) => Promise<void>): ImportJob {
  const job: ImportJob = {
    id: randomUUID(),
    entity,
    status: "running",
    total,
    done: 0,
    created: 0,
    updated: 0,
    error: null,
    startedAt: new Date().toISOString(),
    finishedAt: null,
  };
  jobs.set(job.id, job);
  run(job).then(
    () => Object.assign(job, { status: "done", finishedAt: new Date().toISOString() }),
    (error: unknown) => {
      console.error(`import ${job.id} (${entity}) failed`, error);
      Object.assign(job, {
        status: "failed",
        done: 0,
        error: `Nothing was imported: ${(error as Error).message}`,
        finishedAt: new Date().toISOString(),
      });
    },
  );
  return job;
}

export function getImportJob(id: string): ImportJob | undefined {
  return jobs.get(id);
}
