import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-sm text-slate-600">This page does not exist, or it belongs to an organisation you are not a member of.</p>
      <Link href="/" className="text-sm font-medium text-brand-600 hover:underline">
        Back to Gantry
      </Link>
    </main>
  );
}
