export const TEST_RUN_MARKER: string;
export function findMarkedProcesses(runId: string): { pid: number; command: string }[];
export function reapLeftovers(runId: string, graceMs?: number): Promise<{ pid: number; command: string }[]>;
