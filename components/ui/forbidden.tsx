import { Notice } from "@/components/ui/notice";

export function Forbidden({ needed }: { needed: string }) {
  return (
    <>
      <h1 className="mb-3 text-2xl font-semibold">Not allowed</h1>
      <Notice tone="error">This screen needs the {needed} role. Ask an administrator if you need access.</Notice>
    </>
  );
}
