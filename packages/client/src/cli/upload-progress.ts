import cliProgress from "cli-progress";

import type { Io } from "./output";

export const formatBytes = (bytes: number): string => {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
};

/**
 * Upload progress on stderr: a bar on a terminal; otherwise a line at every 10% (every 64 MiB
 * when the size is unknown) and at the end, so logs and CI output stay short.
 */
export function uploadProgress(io: Io, label: string): { update: (sent: number, total: number | undefined) => void; stop: () => void } {
  if (io.errTty) {
    const bar = new cliProgress.SingleBar(
      {
        stream: io.errTty,
        format: `${label} [{bar}] {percentage}% | {sentText} of {totalText} | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (sent, total) => {
        const payload = { sentText: formatBytes(sent), totalText: total === undefined ? "?" : formatBytes(total) };
        if (!started) {
          bar.start(total ?? 0, sent, payload);
          started = true;
        } else bar.update(sent, payload);
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastStep = -1;
  let lastSent = 0;
  return {
    update: (sent, total) => {
      lastSent = sent;
      const step = total ? Math.floor((sent / total) * 10) : Math.floor(sent / (64 * 1024 * 1024));
      if (step === lastStep || (total !== undefined && sent >= total)) return;
      lastStep = step;
      io.err(total ? `${label}: ${formatBytes(sent)} of ${formatBytes(total)} (${step * 10}%)` : `${label}: ${formatBytes(sent)}`);
    },
    stop: () => io.err(`${label}: ${formatBytes(lastSent)} sent`),
  };
}
