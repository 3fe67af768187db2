// Which test files `baton test [FILES|DIRS]` runs: files as named, `*.test.yaml` found under folders (current folder by default).
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../io.js';

const SUFFIXES = ['.test.yaml', '.test.yml'];
/** Folders never searched: dependencies, VCS data, run state. */
const SKIPPED = new Set(['node_modules', '.git', '.baton']);

export function findTestFiles(cwd: string, args: string[]): string[] {
  const found: string[] = [];
  for (const arg of args.length === 0 ? ['.'] : args) {
    const absolute = path.resolve(cwd, arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new UsageError(`no such file or folder: ${arg}`);
    }
    if (stat.isDirectory()) found.push(...search(absolute));
    else found.push(absolute);
  }
  if (found.length === 0) throw new UsageError(`no test files (*.test.yaml) found in ${args.length === 0 ? 'the current folder' : args.join(', ')}`);
  return [...new Set(found)];
}

function search(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED.has(entry.name)) out.push(...search(full));
    else if (entry.isFile() && SUFFIXES.some((s) => entry.name.endsWith(s))) out.push(full);
  }
  return out;
}
