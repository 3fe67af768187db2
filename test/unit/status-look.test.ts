// One status presentation table: `running` (and every other status) is painted the same in every view.
import { describe, expect, it } from 'vitest';
import { RUN_STATUS } from '../../src/engine/core/status.js';
import type { Palette } from '../../src/report/format.js';
import { summaryFooter } from '../../src/report/final-summary.js';
import { RUN_STATUSES } from '../../src/report/status-look.js';
import { statusViewLines } from '../../src/report/status-view.js';
import { makeState, T0 } from './report-helpers.js';

/** A palette that shows each tone as a tag, so a test can read which colour a word got. */
const tagged: Palette = { paint: (tone, text) => `<${tone}>${text}`, bold: (text) => text };

describe('status presentation', () => {
  it('paints a running run active in the final summary as in the status header (the summary had it as a warning)', () => {
    const state = makeState({ status: 'running' });
    const footer = summaryFooter(state, T0 + 1000, tagged)[0];
    const header = statusViewLines({ state, status: 'running', holder: null, tree: [], runDir: '/tmp/none', nowMs: T0 + 1000, palette: tagged })[0];
    expect(footer).toContain('<active>running');
    expect(header).toContain('<active>running');
  });

  it('paints every run status the same in the summary and the status header', () => {
    for (const status of RUN_STATUSES) {
      const state = makeState({ status });
      const footer = summaryFooter(state, T0 + 1000, tagged)[0] ?? '';
      const header = statusViewLines({ state, status, holder: null, tree: [], runDir: '/tmp/none', nowMs: T0 + 1000, palette: tagged })[0] ?? '';
      const tone = (line: string) => new RegExp(`<(\\w+)>${status}\\b`).exec(line)?.[1];
      expect(tone(footer), status).toBe(tone(header));
      expect(tone(footer), status).toBeDefined();
    }
  });

  it('offers every run status as a `runs --status` choice', () => {
    expect(RUN_STATUSES).toEqual(Object.keys(RUN_STATUS));
  });
});
