/** A determinate progress bar (0..1), announced as a progressbar with its percentage. */
export function ProgressBar({ value, label, tone = "brand", size = "md" }: { value: number; label: string; tone?: "brand" | "green" | "red" | "amber" | "slate"; size?: "sm" | "md" }) {
  const percent = Math.round(Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0)) * 100);
  const tones = { brand: "bg-brand-600", green: "bg-emerald-500", red: "bg-red-500", amber: "bg-amber-500", slate: "bg-slate-400" };
  return (
    <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${percent}%`} className={`w-full overflow-hidden rounded-full bg-slate-100 ${size === "sm" ? "h-1.5" : "h-2.5"}`}>
      <div className={`h-full rounded-full transition-[width] duration-500 ${tones[tone]}`} style={{ width: `${percent}%` }} />
    </div>
  );
}
