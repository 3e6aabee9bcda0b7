/**
 * SseParser: text arrives in arbitrary chunks; one callback per complete event, with its
 * name and its data lines joined.
 */
import { describe, expect, it } from 'vitest';
import { type SseMessage, SseParser } from '../../src/protocol/sse.js';

/** Feeds `chunks` one by one and returns every message, in order. */
function parse(...chunks: string[]): SseMessage[] {
  const messages: SseMessage[] = [];
  const parser = new SseParser((message) => messages.push(message));
  for (const chunk of chunks) parser.push(chunk);
  return messages;
}

describe('SseParser', () => {
  it('reads one event with its name and data', () => {
    expect(parse('event: snapshot\ndata: {"a":1}\n\n')).toEqual([
      { event: 'snapshot', data: '{"a":1}' },
    ]);
  });

  it('names an event without an event field "message"', () => {
    expect(parse('data: hello\n\n')).toEqual([{ event: 'message', data: 'hello' }]);
  });

  it('reads several events from one chunk, in order', () => {
    expect(parse('event: a\ndata: 1\n\nevent: b\ndata: 2\n\n')).toEqual([
      { event: 'a', data: '1' },
      { event: 'b', data: '2' },
    ]);
  });

  it('waits for the blank line: an event split across chunks comes out once, whole', () => {
    const messages: SseMessage[] = [];
    const parser = new SseParser((message) => messages.push(message));
    parser.push('eve');
    parser.push('nt: process:started\nda');
    parser.push('ta: {"pid":');
    expect(messages).toEqual([]);
    parser.push('42}\n');
    expect(messages).toEqual([]);
    parser.push('\nevent: next');
    expect(messages).toEqual([{ event: 'process:started', data: '{"pid":42}' }]);
  });

  it('splits the terminating blank line across chunks', () => {
    expect(parse('data: x\n', '\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('gives the same events whatever the chunk boundaries', () => {
    const text =
      'event: a\r\ndata: one\r\ndata: two\r\n\r\n: ping\r\n\r\nevent: b\r\ndata: 3\r\n\r\n';
    const whole = parse(text);
    expect(whole).toEqual([
      { event: 'a', data: 'one\ntwo' },
      { event: 'b', data: '3' },
    ]);
    for (let cut = 1; cut < text.length; cut += 1) {
      expect(parse(text.slice(0, cut), text.slice(cut)), `cut at ${cut}`).toEqual(whole);
    }
    expect(parse(...text)).toEqual(whole);
  });

  it('accepts CRLF and lone CR line endings', () => {
    expect(parse('event: a\r\ndata: 1\r\n\r\n')).toEqual([{ event: 'a', data: '1' }]);
    expect(parse('event: b\rdata: 2\r\r')).toEqual([{ event: 'b', data: '2' }]);
  });

  // Regression: a CRLF cut between its CR and its LF counted as two line ends, which ended
  // the event early and split it in two.
  it('reads a CRLF split between two chunks as one line end', () => {
    expect(parse('data: x\r', '\ndata: y\r\n\r\n')).toEqual([{ event: 'message', data: 'x\ny' }]);
    expect(parse('data: x\r\n\r', '\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('joins multi-line data with newlines', () => {
    expect(parse('data: first\ndata: second\ndata: third\n\n')).toEqual([
      { event: 'message', data: 'first\nsecond\nthird' },
    ]);
  });

  it('keeps empty data lines', () => {
    expect(parse('data: a\ndata:\ndata\ndata: b\n\n')).toEqual([
      { event: 'message', data: 'a\n\n\nb' },
    ]);
  });

  it('strips one space after the colon only', () => {
    expect(parse('data:x\n\n', 'data:  y\n\n')).toEqual([
      { event: 'message', data: 'x' },
      { event: 'message', data: ' y' },
    ]);
  });

  it('keeps colons inside the value', () => {
    expect(parse('event: process:exit\ndata: {"a":"b:c"}\n\n')).toEqual([
      { event: 'process:exit', data: '{"a":"b:c"}' },
    ]);
  });

  it('skips comments, also between fields, and a block of comments alone', () => {
    expect(parse(': keep-alive\n\n', 'event: a\n: note\ndata: 1\n\n')).toEqual([
      { event: 'a', data: '1' },
    ]);
  });

  it('dispatches nothing for an event without data', () => {
    expect(parse('event: lonely\n\n')).toEqual([]);
  });

  it('ignores id, retry and unknown fields', () => {
    expect(parse('id: 7\nretry: 100\nfoo: bar\nevent: a\ndata: 1\n\n')).toEqual([
      { event: 'a', data: '1' },
    ]);
  });

  it('starts each event with the default name again', () => {
    expect(parse('event: a\ndata: 1\n\ndata: 2\n\n')).toEqual([
      { event: 'a', data: '1' },
      { event: 'message', data: '2' },
    ]);
  });

  it('holds an unterminated event back', () => {
    expect(parse('event: a\ndata: 1\n')).toEqual([]);
  });
});
