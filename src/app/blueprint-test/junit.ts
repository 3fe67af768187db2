// `baton test --junit FILE`: one suite per test file, one test case per case, each failure with its diff.
import { renderJUnit, type JUnitDocument } from '../../report/junit-xml.js';
import { formatFailure, type FileResult } from './print.js';

export function testsJUnitXml(files: FileResult[], startedAt: Date): string {
  const doc: JUnitDocument = {
    name: 'baton test',
    suites: files.map((f) => ({
      name: f.file,
      timestamp: startedAt.toISOString(),
      time: f.cases.reduce((sum, c) => sum + c.ms, 0) / 1000,
      properties: { blueprint: f.blueprint },
      testcases: f.cases.map((c) => ({
        name: c.name,
        classname: f.blueprint,
        time: c.ms / 1000,
        ...(c.passed
          ? {}
          : {
              failure: {
                message: c.failures.map((x) => x.message ?? `${x.what} differs`).join('; '),
                type: 'failed',
                text: `${c.failures.flatMap(formatFailure).join('\n')}\nthe run: ${c.status ?? 'did not start'}${c.error ? ` (${c.error})` : ''}; started: ${c.ran.join(', ') || 'nothing'}\n`,
              },
            }),
      })),
    })),
  };
  return renderJUnit(doc);
}
