/**
 * A reader of server-sent events: feed it text as it arrives, it calls back once per
 * complete event with its `event` name and `data`.
 */
export interface SseMessage {
  readonly event: string;
  readonly data: string;
}

export class SseParser {
  private buffer = '';
  private afterCr = false;

  constructor(private readonly onMessage: (message: SseMessage) => void) {}

  push(text: string): void {
    // A CRLF split across two chunks: its LF belongs to the line end the CR already made.
    const input = this.afterCr && text.startsWith('\n') ? text.slice(1) : text;
    if (text !== '') this.afterCr = text.endsWith('\r');
    this.buffer += input.replace(/\r\n?/g, '\n');
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.dispatch(block);
    }
  }

  private dispatch(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) this.onMessage({ event, data: data.join('\n') });
  }
}
