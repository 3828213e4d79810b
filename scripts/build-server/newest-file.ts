import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** The newest modification time of any file under `dir` (0 for an empty or missing folder), and which file. */
export async function newestFile(dir: string): Promise<{ file: string; mtimeMs: number }> {
  let best = { file: '', mtimeMs: 0 };
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return best;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    const candidate = e.isDirectory() ? await newestFile(p) : { file: p, mtimeMs: (await stat(p)).mtimeMs };
    if (candidate.mtimeMs > best.mtimeMs) best = candidate;
  }
  return best;
}
