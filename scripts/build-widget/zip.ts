import { createWriteStream } from 'node:fs';
import { ZipFile } from 'yazl';

/** A fixed timestamp: rebuilding the same sources gives a byte-identical archive. */
const MTIME = new Date(2020, 0, 1);

/**
 * Writes the files at the archive root (manifest.json must not sit in a folder: https://www.kommo.com/developers/content/integrations/upload/),
 * directories first, then files, each in name order.
 */
export function writeZip(files: Map<string, Buffer>, outFile: string): Promise<void> {
  const zip = new ZipFile();
  const names = [...files.keys()].sort();
  const dirs = [...new Set(names.filter((n) => n.includes('/')).map((n) => n.slice(0, n.lastIndexOf('/') + 1)))].sort();
  for (const dir of dirs) zip.addEmptyDirectory(dir, { mtime: MTIME });
  for (const name of names) zip.addBuffer(files.get(name)!, name, { mtime: MTIME, mode: 0o100644 });
  zip.end();
  return new Promise((resolve, reject) => {
    const out = createWriteStream(outFile);
    out.on('close', resolve);
    out.on('error', reject);
    zip.outputStream.on('error', reject).pipe(out);
  });
}
