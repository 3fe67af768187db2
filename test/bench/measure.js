// Runs one command to completion and measures its wall time and peak memory (GNU time's %M, else /proc sampling).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
const SAMPLE_MS = 50;
const PAGE_KB = 4;

let timeWorks;
/** Is /usr/bin/time GNU time, with -f %M (max RSS in KB) and -o? Checked once. */
function gnuTimeWorks() {
  if (timeWorks === undefined) {
    timeWorks = false;
    if (existsSync(GNU_TIME)) {
      const dir = mkdtempSync(join(tmpdir(), 'baton-bench-time-'));
      const out = join(dir, 'rss');
      const probe = spawnSync(GNU_TIME, ['-f', '%M', '-o', out, 'true'], { stdio: 'ignore' });
      timeWorks = probe.status === 0 && existsSync(out) && /^\d+\s*$/.test(readFileSync(out, 'utf8'));
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return timeWorks;
}

export function memoryMethod() {
  return gnuTimeWorks()
    ? 'peak RSS: GNU /usr/bin/time -f %M (max resident set of the largest process in the tree: the node driver)'
    : `peak RSS: sampled from /proc every ${SAMPLE_MS} ms (driver's VmHWM, or the whole tree's RSS when larger)`;
}

/** pid → {ppid, rssKb} for every process, from /proc/<pid>/stat. */
function processTable() {
  const table = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const raw = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), { ppid: Number(fields[1]), rssKb: Number(fields[21]) * PAGE_KB });
    } catch {
      /* gone meanwhile */
    }
  }
  return table;
}

function treeRssKb(root) {
  const table = processTable();
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop();
    total += table.get(pid)?.rssKb ?? 0;
    for (const [child, info] of table) if (info.ppid === pid) stack.push(child);
  }
  return total;
}

function highWaterKb(pid) {
  try {
    const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs argv in cwd with env; resolves {ms, rssKb, code, stdout, stderr}. Every command goes through the same
 * wrapper (GNU time when present), so its small cost is the same for baton and for the floors.
 */
export function measure(argv, { cwd, env, input }) {
  const useTime = gnuTimeWorks();
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-run-'));
  const rssFile = join(dir, 'rss');
  const [file, ...args] = useTime ? [GNU_TIME, '-f', '%M', '-o', rssFile, ...argv] : argv;
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(file, args, { cwd, env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let sampledKb = 0;
    const sampler = useTime
      ? null
      : setInterval(() => {
          sampledKb = Math.max(sampledKb, highWaterKb(child.pid), treeRssKb(child.pid));
        }, SAMPLE_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - startedAt;
      if (sampler) clearInterval(sampler);
      let rssKb = sampledKb;
      if (useTime) {
        const text = existsSync(rssFile) ? readFileSync(rssFile, 'utf8') : '';
        // GNU time writes "Command exited with non-zero status N" before the number when the command fails.
        rssKb = Number(/(\d+)\s*$/.exec(text)?.[1] ?? 0);
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ ms, rssKb, code, stdout, stderr });
    });
  });
}

/** Disk usage of a folder in bytes (`du -sk`, else the sum of file sizes). */
export function folderBytes(path) {
  const du = spawnSync('du', ['-sk', path], { encoding: 'utf8' });
  const kb = /^(\d+)/.exec(du.stdout ?? '')?.[1];
  if (du.status === 0 && kb !== undefined) return { bytes: Number(kb) * 1024, method: 'du -sk' };
  let bytes = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        try {
          bytes += statSync(full).size;
        } catch {
          /* gone meanwhile */
        }
      }
    }
  };
  walk(path);
  return { bytes, method: 'sum of file sizes' };
}

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
