// A mock executor (tests, `baton test`): each attempt is answered from a script on a virtual clock; no process starts.
import { formatDuration } from '../blueprint/duration.js';
import type { AttemptMock } from '../blueprint/test-file.js';
import { maskSecrets, maskText } from './masking.js';
import { parseOutput } from './output.js';
import type { ExecOutcome, ExecRequest, ExecStatus } from './types.js';
import type { VirtualClock } from './virtual-clock.js';

/** How one mocked attempt ends: the shape a `baton test` file writes, which the mock answers from as it is. */
export type MockAttempt = AttemptMock;

/**
 * Answers attempt `attempt` (1-based) of the instance `key`: a mock, `'real'` to hand it to the real executor, or an
 * error message when nothing answers it (the attempt fails with that message).
 */
export type MockPlan = (key: string, attempt: number) => MockAttempt | 'real' | { unmocked: string };

/** One answered attempt, for whoever checks what ran. */
export interface MockCall {
  key: string;
  attempt: number;
  startedAt: number;
  request: ExecRequest;
}

type RealExecute = (request: ExecRequest) => Promise<ExecOutcome>;

/** The Executor port with nothing behind it but a plan and a clock. */
export function mockExecutor(plan: MockPlan, clock: VirtualClock, real?: RealExecute) {
  const calls: MockCall[] = [];
  const execute = (request: ExecRequest): Promise<ExecOutcome> => {
    const key = request.env.BATON_TASK_ID ?? '';
    const attempt = Number(request.env.BATON_ATTEMPT ?? '1');
    calls.push({ key, attempt, startedAt: clock.now(), request });
    const answer = plan(key, attempt);
    if (answer === 'real') {
      if (!real) return Promise.resolve(ended(request, 0, 'failed', `task ${key} may not run for real here`));
      return real(request);
    }
    if ('unmocked' in answer) return Promise.resolve(ended(request, 0, 'failed', answer.unmocked));
    return runMocked(request, answer, clock);
  };
  return {
    calls,
    execute,
    signalGroup: (): void => {},
    terminateGroup: async (): Promise<void> => {},
    killGroup: async (): Promise<void> => {},
    membersOfGroups: () => new Map(),
    findRunProcesses: () => [],
    killRunProcesses: async () => [],
  };
}

function runMocked(request: ExecRequest, mock: MockAttempt, clock: VirtualClock): Promise<ExecOutcome> {
  const startedAt = clock.now();
  const duration = Math.max(0, mock.durationMs ?? 0);
  const timeout = request.timeoutMs;
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: () => ExecOutcome): void => {
      if (done) return;
      done = true;
      timer.clear();
      request.abort?.removeEventListener('abort', onAbort);
      resolve(outcome());
    };
    const onAbort = (): void => {
      const reason = request.abort?.reason === 'interrupt' ? 'interrupted' : 'canceled';
      finish(() => ended(request, clock.now() - startedAt, 'canceled', reason, mock));
    };
    const timesOut = timeout !== undefined && duration > timeout;
    const timer = clock.setTimer(() => {
      if (timesOut) finish(() => withOutput(request, ended(request, timeout, 'timed_out', `timed out after ${formatDuration(timeout)}`, mock), mock));
      else finish(() => completed(request, duration, mock));
    }, timesOut ? timeout : duration);
    if (request.abort?.aborted) onAbort();
    else request.abort?.addEventListener('abort', onAbort);
    if (!done && request.onOutput) {
      if (mock.stdout) request.onOutput('stdout', maskText(mock.stdout, request.secrets));
      if (mock.stderr) request.onOutput('stderr', maskText(mock.stderr, request.secrets));
    }
  });
}

/** The attempt ran its full mocked duration: its exit code or signal decides. */
function completed(request: ExecRequest, durationMs: number, mock: MockAttempt): ExecOutcome {
  const exit = mock.signal ? null : (mock.exit ?? 0);
  let status: ExecStatus = 'completed';
  let error: string | null = null;
  if (mock.signal) [status, error] = ['failed', `killed by ${mock.signal}`];
  else if (exit !== 0) [status, error] = ['failed', `exit code ${exit}`];
  return withOutput(request, { ...ended(request, durationMs, status, error, mock), exitCode: exit, signal: mock.signal ?? null }, mock);
}

/** Its output, as a real attempt's: kept when it failed or timed out too; a parse error fails only a completed one. */
function withOutput(request: ExecRequest, outcome: ExecOutcome, mock: MockAttempt): ExecOutcome {
  if (mock.output !== undefined) {
    const masked = maskSecrets(mock.output, request.secrets);
    return { ...outcome, output: masked.value, ...(masked.masked ? { outputMasked: true } : {}) };
  }
  if (request.outputMode === 'file') return outcome;
  const parsed = parseOutput(request.outputMode, { text: mock.stdout ?? '' }, request.outputFile, request.secrets);
  if (parsed.ok) return { ...outcome, output: parsed.value, ...(parsed.masked ? { outputMasked: true } : {}) };
  return outcome.status === 'completed' ? { ...outcome, status: 'failed', error: parsed.error } : outcome;
}

function ended(request: ExecRequest, durationMs: number, status: ExecStatus, error: string | null, mock?: MockAttempt): ExecOutcome {
  const tail = (text: string | undefined) => ({ text: maskText(text ?? '', request.secrets), truncated: false });
  return {
    status, exitCode: null, signal: null, pid: null, output: null,
    stdout: tail(mock?.stdout), stderr: tail(mock?.stderr),
    error: error === null ? null : maskText(error, request.secrets), durationMs,
  };
}
