import { PassThrough } from "node:stream";

import { describe, expect, it } from "vitest";

import { formatBytes, uploadProgress } from "./upload-progress";

describe("uploadProgress", () => {
  it("prints a line every 10% and the total when stderr is not a terminal", () => {
    const lines: string[] = [];
    const progress = uploadProgress({ out: () => undefined, err: (l) => lines.push(l) }, "up");
    for (let sent = 0; sent <= 1000; sent += 50) progress.update(sent * 1024, 1000 * 1024);
    progress.stop();
    expect(lines).toEqual([...Array.from({ length: 10 }, (_, i) => `up: ${formatBytes(i * 100 * 1024)} of 1000 KiB (${i * 10}%)`), "up: 1000 KiB sent"]);
  });

  it("draws a bar on a terminal", () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    let drawn = "";
    tty.on("data", (chunk: Buffer) => (drawn += chunk.toString()));
    const progress = uploadProgress({ out: () => undefined, err: () => undefined, errTty: tty as unknown as NodeJS.WriteStream }, "up");
    progress.update(0, 2048);
    progress.update(2048, 2048);
    progress.stop();
    expect(drawn).toContain("100% | 2.0 KiB of 2.0 KiB");
  });

  it("formats sizes", () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual(["512 B", "1.5 KiB", "5.0 GiB"]);
  });
});
