// `courier get -w FORMAT`: curl's --write-out mini-language over the values of one transfer.

/** WriteOutPiece is text bound for stdout or stderr (%{stderr} and %{stdout} switch). */
export interface WriteOutPiece {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** WRITE_OUT_VARIABLES are the %{name} variables courier knows (curl's common ones). */
export const WRITE_OUT_VARIABLES = [
  'content_type',
  'errormsg',
  'exitcode',
  'http_code',
  'http_version',
  'method',
  'num_connects',
  'num_headers',
  'num_redirects',
  'redirect_url',
  'remote_ip',
  'remote_port',
  'response_code',
  'scheme',
  'size_download',
  'size_header',
  'size_request',
  'size_upload',
  'speed_download',
  'time_connect',
  'time_namelookup',
  'time_appconnect',
  'time_starttransfer',
  'time_total',
  'url',
  'url_effective',
] as const;

/** WriteOutValues holds the value of each variable for one transfer, already formatted. */
export type WriteOutValues = Partial<Record<(typeof WRITE_OUT_VARIABLES)[number], string>>;

/**
 * renderWriteOut expands FORMAT: %{variable}, %header{name} (a response header), %% for %, and
 * the escapes \n \r \t \\. %{stderr} and %{stdout} send what follows to that stream. An unknown
 * variable expands to nothing and is reported in `unknown`.
 */
export function renderWriteOut(
  format: string,
  values: WriteOutValues,
  header: (name: string) => string | undefined,
): { pieces: WriteOutPiece[]; unknown: string[] } {
  const pieces: WriteOutPiece[] = [];
  const unknown: string[] = [];
  let stream: WriteOutPiece['stream'] = 'stdout';
  let text = '';
  const flush = (): void => {
    if (text !== '') pieces.push({ stream, text });
    text = '';
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    if (c === '\\' && i + 1 < format.length) {
      const next = format[i + 1] as string;
      const escaped = next === 'n' ? '\n' : next === 'r' ? '\r' : next === 't' ? '\t' : next === '\\' ? '\\' : undefined;
      if (escaped !== undefined) {
        text += escaped;
        i++;
        continue;
      }
    }
    if (c === '%' && format[i + 1] === '%') {
      text += '%';
      i++;
      continue;
    }
    if (c === '%' && format.startsWith('%{', i)) {
      const end = format.indexOf('}', i);
      if (end !== -1) {
        const name = format.slice(i + 2, end);
        i = end;
        if (name === 'stderr' || name === 'stdout') {
          flush();
          stream = name;
        } else if (name in values || (WRITE_OUT_VARIABLES as readonly string[]).includes(name)) {
          text += values[name as keyof WriteOutValues] ?? '';
        } else {
          unknown.push(name);
        }
        continue;
      }
    }
    if (c === '%' && format.startsWith('%header{', i)) {
      const end = format.indexOf('}', i);
      if (end !== -1) {
        text += header(format.slice(i + '%header{'.length, end)) ?? '';
        i = end;
        continue;
      }
    }
    text += c;
  }
  flush();
  return { pieces, unknown };
}
