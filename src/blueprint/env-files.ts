// `env_file:` — dotenv files named by a blueprint or a task, read (with the `dotenv` parser) when the blueprint loads.
import * as path from 'node:path';
import { parse } from 'dotenv';
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { formatBytes, readBoundedFile } from './bounded-read.js';
import { errorAt } from './diagnostics.js';
import { field, type ConvertContext } from './convert-context.js';
import type { EnvFile } from './model.js';
import { getNode, rangeOf, resolveNode } from './yaml-nodes.js';

/** The values of a dotenv file, or why it cannot be read (`missing` when it does not exist). */
export type EnvFileRead = { ok: true; values: Record<string, string> } | { ok: false; missing: boolean; message: string };

/** Reads one dotenv file (a regular file of at most 10 MiB); values are literal text, never expressions. */
export function readEnvFile(file: string): EnvFileRead {
  let read;
  try {
    read = readBoundedFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, missing: true, message: `no such file: ${file}` };
    return { ok: false, missing: false, message: `cannot read ${file}: ${code ?? (err as Error).message}` };
  }
  if (!read.ok) {
    const why = read.problem === 'not-regular' ? `it is ${read.kind}, not a regular file` : `it is ${formatBytes(read.size)}, more than the 10 MiB limit`;
    return { ok: false, missing: false, message: `cannot read ${file}: ${why}` };
  }
  return { ok: true, values: parse(read.bytes) };
}

/** Values of `files` in order (a later file's value wins). */
export function mergeEnvFiles(files: readonly EnvFile[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of files) Object.assign(out, f.values);
  return out;
}

/**
 * The `env_file` under `key` of `map`: a path, `{path, required}`, or a list of those; each read now, relative to
 * the blueprint's folder. A missing file is an error at its position unless `required: false`.
 */
export function convertEnvFiles(ctx: ConvertContext, owner: YAMLMap): EnvFile[] {
  const node = field(ctx, owner, 'env_file');
  if (node === undefined || node === null) return [];
  const items = isSeq(node) ? node.items.map((item) => resolveNode(item as Node, ctx.doc)) : [node];
  const files: EnvFile[] = [];
  for (const item of items) {
    if (!item || ctx.invalid.has(item)) continue;
    let pathNode: Node | null | undefined = item;
    let required = true;
    if (isMap(item)) {
      pathNode = getNode(item, 'path', ctx.doc);
      const req = getNode(item, 'required', ctx.doc);
      if (isScalar(req) && req.value === false) required = false;
    }
    if (!isScalar(pathNode) || typeof pathNode.value !== 'string') continue;
    const written = pathNode.value;
    const range = rangeOf(pathNode, ctx.file);
    if (!ctx.readEnvFiles) {
      files.push({ path: written, required, range, values: {} });
      continue;
    }
    const read = readEnvFile(path.resolve(path.dirname(ctx.file), written));
    if (read.ok) files.push({ path: written, required, range, values: read.values });
    else if (read.missing && !required) files.push({ path: written, required, range, values: {} });
    else {
      const hint = read.missing ? ' (paths are relative to the blueprint file; `{path: …, required: false}` allows a missing file)' : '';
      ctx.diagnostics.push(errorAt('env-file', `env_file \`${written}\`: ${read.message}${hint}`, range));
    }
  }
  return files;
}
