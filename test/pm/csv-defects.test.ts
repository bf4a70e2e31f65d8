import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvDefect, scanFile } from '../../etl/pm/scan.ts';

/** Where a malformed CSV breaks, for the files DuckDB's strict reader refuses whole without a line. */
describe('csvDefect and NUL bytes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rcm-csv-defects-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (text: string | Buffer) => {
    const name = path.join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(name, text);
    return name;
  };
  const defect = (text: string) => csvDefect(file(text), '"', ',');

  it('a well-formed file has none, quoted commas, doubled quotes and newlines inside quotes included', () => {
    expect(defect('a,b\r\n"x,1","say ""hi"""\r\n"two\r\nlines",3\r\n')).toBeNull();
    expect(defect('a,b\n1,2\n')).toBeNull();
  });

  it('names the line of a mixed line ending, a lone CR, a stray quote, text after a quote, an open quote', () => {
    expect(defect('a,b\r\n1,2\r\n3,4\n5,6\r\n')).toEqual({
      line: 3,
      found: "a line ending LF where the file's first line ends CRLF",
    });
    expect(defect('a,b\n1,2\r3,4\n')).toEqual({
      line: 2,
      found: 'a carriage return not followed by a line feed (mixed line endings)',
    });
    expect(defect('a,b\n1,2\n3,x"y\n')).toEqual({
      line: 3,
      found: 'a quote inside a field that does not start with one',
    });
    expect(defect('a,b\n"1"x,2\n')).toEqual({ line: 2, found: 'text after the closing quote of a field' });
    expect(defect('a,b\n1,2\n3,"open\n4,5\n')).toEqual({
      line: 3,
      found: 'a quoted field that never closes',
    });
  });

  it('scanFile reports the line of the first NUL byte', () => {
    expect(scanFile(file('a,b\n1,2\n')).nulLine).toBeNull();
    expect(scanFile(file(Buffer.from('a,b\n1,2\n3,\u00004\n', 'latin1'))).nulLine).toBe(3);
  });
});
