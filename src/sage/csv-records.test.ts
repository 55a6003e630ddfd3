import { describe, expect, it } from 'vitest';
import { CsvRecordReader } from './csv-records.ts';

function read(chunks: string[], maxField?: number): { records: Array<[number, string[]]>; problems: string[] } {
  const records: Array<[number, string[]]> = [];
  const problems: string[] = [];
  const reader = new CsvRecordReader({ record: (cells, line) => records.push([line, cells]), problem: (p) => problems.push(p) }, maxField);
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return { records, problems };
}

describe('CSV records read chunk by chunk', () => {
  const text = 'Id,Status,Message\r\n1001,failed,"Account ""HARRIS01"" is on hold,\r\nsee Sage"\r\n1002,imported,\n';

  it('when the input is split at every possible place, then the records are the same as read whole', () => {
    const whole = read([text]);
    expect(whole.records).toEqual([
      [1, ['Id', 'Status', 'Message']],
      [2, ['1001', 'failed', 'Account "HARRIS01" is on hold,\r\nsee Sage']],
      [4, ['1002', 'imported', '']],
    ]);
    for (let at = 1; at < text.length; at++) expect(read([text.slice(0, at), text.slice(at)])).toEqual(whole);
  });

  it('when a quote is never closed, then that record is a problem naming its line and nothing of it is kept', () => {
    expect(read(['Id,Status\n1,imported\n2,"failed', 'x'.repeat(1000)])).toEqual({
      records: [
        [1, ['Id', 'Status']],
        [2, ['1', 'imported']],
      ],
      problems: ['line 3: a quoted field is never closed (the rest of the file was not read as records)'],
    });
  });

  it('when a field is longer than allowed, then its record is refused and the next one is read', () => {
    expect(read(['1,', 'y'.repeat(30), '\n2,ok\n'], 20)).toEqual({
      records: [[2, ['2', 'ok']]],
      problems: ['line 1: a field is longer than 20 characters'],
    });
  });
});
