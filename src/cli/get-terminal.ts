// Terminal niceties for `courier get`: colours for -v heads, indented JSON, a password prompt.
// Only on a terminal, and colours never with NO_COLOR (https://no-color.org).

/** usesColour tells whether to colour output to a stream: a terminal, and NO_COLOR unset or empty. */
export function usesColour(stream: NodeJS.WriteStream): boolean {
  const noColor = process.env.NO_COLOR;
  return stream.isTTY === true && (noColor === undefined || noColor === '');
}

const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const CYAN = '\x1b[36m';

function statusColour(code: number): string {
  if (code >= 500) return '\x1b[31m';
  if (code >= 400) return '\x1b[33m';
  if (code >= 300) return '\x1b[36m';
  return '\x1b[32m';
}

/** colourHead colours -v lines: `*` dim, request and status lines bold, header names cyan. */
export function colourHead(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('* ')) return `${DIM}${line}${RESET}`;
      const marker = line.slice(0, 2);
      if (marker !== '> ' && marker !== '< ') return line;
      const rest = line.slice(2);
      const status = /^HTTP\/\d\.\d (\d{3})/.exec(rest);
      if (status !== null) return `${marker}${BOLD}${statusColour(Number(status[1]))}${rest}${RESET}`;
      const colon = rest.indexOf(':');
      const isRequestLine = marker === '> ' && / HTTP\/\d\.\d$/.test(rest);
      if (isRequestLine) return `${marker}${BOLD}${rest}${RESET}`;
      if (colon <= 0) return line;
      return `${marker}${CYAN}${rest.slice(0, colon)}${RESET}${rest.slice(colon)}`;
    })
    .join('\n');
}

/** isJsonType tells whether a Content-Type is JSON (application/json or any +json). */
export function isJsonType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const essence = (contentType.split(';')[0] as string).trim().toLowerCase();
  return essence === 'application/json' || essence.endsWith('+json');
}

/** indentJson re-indents a JSON text with two spaces, or returns null when it is not JSON. */
export function indentJson(text: string): string | null {
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return null;
  }
}

/**
 * askPassword prompts on stderr and reads a line from the terminal on stdin without echoing it.
 * Ctrl-C or Ctrl-D give up (null).
 */
export function askPassword(prompt: string): Promise<string | null> {
  const input = process.stdin;
  // Raw mode first: typing that starts as soon as the prompt shows must not be echoed.
  input.setRawMode(true);
  process.stderr.write(prompt);
  input.resume();
  return new Promise((resolve) => {
    let typed = '';
    const finish = (value: string | null): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish(typed);
        if (char === '\x03' || char === '\x04') return finish(null);
        if (char === '\x7f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    input.on('data', onData);
  });
}
