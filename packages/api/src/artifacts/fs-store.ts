import { randomUUID } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";

import type { ArtifactStore, TempCleaner } from "./store";
import {
  artifactNotFound,
  contentPath,
  digestingSource,
  parseRange,
  parseSha256,
  rangeNotSatisfiable,
  TEMP_MAX_AGE_MS,
} from "./store";

export type FsArtifactStore = ArtifactStore & TempCleaner & { readonly root: string };

const TEMP_SUFFIX = ".part";

const isErrno = (error: unknown, code: string): boolean =>
  error instanceof Error && (error as NodeJS.ErrnoException).code === code;

/** Makes a rename durable: the directory entry itself is only on disk once the directory is synced. */
async function syncDirectory(path: string): Promise<void> {
  if (process.platform === "win32") return; // directories cannot be opened for fsync there
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Artifacts as files under `root/sha256/ab/cd/<hash>`. An upload goes to `root/tmp/<uuid>.part`
 * (same filesystem, so the final rename is atomic), is fsynced, then renamed into place: a reader
 * never sees a partial file, and concurrent puts of the same content each rename an identical
 * file. A crash mid-upload leaves only a temp file, which `cleanup()` removes later.
 */
export function createFsArtifactStore(root: string): FsArtifactStore {
  const base = resolve(root);
  const tempDir = join(base, "tmp");
  const contentDir = join(base, "sha256");
  const pathOf = (sha256: string) => join(contentDir, contentPath(sha256));

  return {
    root: base,

    async put(body, options) {
      const source = digestingSource(body, options);
      await mkdir(tempDir, { recursive: true });
      const tempPath = join(tempDir, `${randomUUID()}${TEMP_SUFFIX}`);
      let handle: FileHandle | undefined = await open(tempPath, "wx");
      try {
        for await (const chunk of source.chunks) {
          // Awaiting each write is the back-pressure: the next chunk is only pulled once this one is written.
          await handle.write(chunk);
        }
        await handle.sync();
        await handle.close();
        handle = undefined;

        const artifact = source.result();
        const finalPath = pathOf(artifact.sha256);
        if (await exists(finalPath)) {
          await rm(tempPath, { force: true });
          return artifact;
        }
        await mkdir(dirname(finalPath), { recursive: true });
        // Atomic replace: a concurrent put of the same content may win the race; its file is identical.
        await rename(tempPath, finalPath);
        await syncDirectory(dirname(finalPath));
        return artifact;
      } catch (error) {
        await handle?.close().catch(() => undefined);
        await rm(tempPath, { force: true });
        throw error;
      }
    },

    async get(sha256, range) {
      const hash = parseSha256(sha256);
      const bounds = parseRange(range);
      let handle: FileHandle;
      try {
        handle = await open(pathOf(hash), "r");
      } catch (error) {
        if (isErrno(error, "ENOENT")) throw artifactNotFound(hash);
        throw error;
      }
      try {
        if (bounds) {
          const { size } = await handle.stat();
          if (bounds.start >= size) throw rangeNotSatisfiable(bounds.start, size);
        }
        // The stream owns the handle from here and closes it when it ends or is destroyed.
        return handle.createReadStream(bounds ? { start: bounds.start, end: bounds.end } : {}) as Readable;
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async has(sha256) {
      return exists(pathOf(parseSha256(sha256)));
    },

    async delete(sha256) {
      await rm(pathOf(parseSha256(sha256)), { force: true });
    },

    async cleanup({ olderThanMs = TEMP_MAX_AGE_MS } = {}) {
      let names: string[];
      try {
        names = await readdir(tempDir);
      } catch (error) {
        if (isErrno(error, "ENOENT")) return { removed: 0 };
        throw error;
      }
      const cutoff = Date.now() - olderThanMs;
      let removed = 0;
      for (const name of names) {
        if (!name.endsWith(TEMP_SUFFIX)) continue;
        const path = join(tempDir, name);
        try {
          if ((await stat(path)).mtimeMs < cutoff) {
            await rm(path, { force: true });
            removed += 1;
          }
        } catch (error) {
          // Renamed into place by its upload between readdir and stat: nothing to clean.
          if (!isErrno(error, "ENOENT")) throw error;
        }
      }
      return { removed };
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isErrno(error, "ENOENT")) return false;
    throw error;
  }
}
