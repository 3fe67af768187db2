// A real `baton ui --port 0` over a test's state folder: its URL from the first stdout line, stopped by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './cli.js';

export interface UiServer {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export function startUi(cwd: string, args: string[] = []): Promise<UiServer> {
  const child = spawn(process.execPath, [BIN, 'ui', '--port', '0', '--state-dir', `${cwd}/.baton`, ...args], {
    cwd,
    env: { ...process.env, CI: 'true', NO_COLOR: '1', BATON_STATE_DIR: undefined } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`baton ui printed no URL within 15 s; stderr: ${stderr}`));
    }, 15_000);
    child.stdout!.on('data', (d) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      const url = stdout.slice(0, nl).trim();
      resolve({ url: new URL(url).origin, child, output: () => stdout + stderr, stop });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`baton ui exited (${code}) before printing its URL: ${stderr}`));
    });
  });
}
