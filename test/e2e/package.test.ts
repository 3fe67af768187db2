// The npm package as a user gets it: packed, installed into a prefix, run from elsewhere; and through npx.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';

const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const SLOW = 300_000;
const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', GITHUB_ACTIONS: undefined, BATON_JUNIT: undefined };

/** npm with the dependencies from the cache (`npm ci` warmed it); the registry only for what the cache lacks. */
function npm(args: string[], cwd: string, command = 'npm'): SpawnSyncReturns<string> {
  const offline = spawnSync(command, ['--offline', ...args], { cwd, env, encoding: 'utf8' });
  if (offline.status === 0 || !/ENOTCACHED/.test(offline.stderr)) return offline;
  return spawnSync(command, ['--prefer-offline', ...args], { cwd, env, encoding: 'utf8' });
}

let tarball = '';
let work = '';
beforeAll(() => {
  work = tempDir('baton-pack-');
  // dist/ is fresh (the tests' global setup rebuilt it), so prepack's build is skipped here: it is the same tsc.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, env, encoding: 'utf8' });
  const [packed] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, packed!.filename);
  const files = packed!.files.map((f) => f.path);
  expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/baton.js', 'dist/cli/main.js', 'workflows/hello.yaml']));
  expect(files.filter((f) => f.startsWith('test/') || f.startsWith('node_modules/'))).toEqual([]);
  // Every source map's sources are in the package (src/ ships for them), so no map points at a missing file.
  const maps = files.filter((f) => f.endsWith('.js.map'));
  expect(maps.length).toBeGreaterThan(10);
  const missing = maps.flatMap((m) => {
    const map = JSON.parse(fs.readFileSync(path.join(ROOT, m), 'utf8')) as { sources: string[] };
    return map.sources.map((src) => path.posix.join(path.posix.dirname(m), src)).filter((src) => !files.includes(src));
  });
  expect(missing).toEqual([]);
}, SLOW);

describe('the npm package', () => {
  it('installs with npm install -g --prefix and runs an example from another folder', () => {
    const prefix = path.join(work, 'prefix');
    const install = npm(['install', '-g', '--prefix', prefix, tarball], work);
    expect(install.status, install.stderr).toBe(0);
    const bin = path.join(prefix, 'bin', 'baton');
    const example = path.join(prefix, 'lib', 'node_modules', PKG.name, 'workflows', 'hello.yaml');
    const elsewhere = tempDir('baton-user-');
    const run = (...args: string[]) => spawnSync(bin, args, { cwd: elsewhere, env, encoding: 'utf8' });
    expect(run('--version').stdout).toBe(`${PKG.name} ${PKG.version}\n`);
    expect(run('--help').stdout).toContain(`npm package: ${PKG.name} ${PKG.version}`);
    const valid = run('validate', example);
    expect(valid.status, valid.stderr).toBe(0);
    const ran = run('run', example, '--json');
    expect(ran.status, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ workflow: 'hello', status: 'completed', outputs: { count: 3 } });
    expect(fs.existsSync(path.join(elsewhere, '.baton', 'runs'))).toBe(true);
  }, SLOW);

  it('runs through npx --package <tarball>', () => {
    const r = npm(['--yes', '--package', tarball, 'baton', '--version'], tempDir('baton-npx-'), 'npx');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${PKG.name} ${PKG.version}\n`);
  }, SLOW);
});
