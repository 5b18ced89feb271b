// What one `courier get` run measured, for --timing and -w.
import { performance } from 'node:perf_hooks';
import type { ClientResponse } from '../client/index.js';
import type { WriteOutValues } from './write-out.js';

/** Transfer collects what -w reports about one run, filled in as the run goes. */
export interface Transfer {
  url: URL | null;
  method: string;
  response: ClientResponse | null;
  begin: number;
  redirects: number;
  connects: number;
  headerBytes: number;
  requestBytes: number;
  uploadBytes: number;
  downloadBytes: number;
  remoteIp: string;
  remotePort: string;
  /** connect stamps of the last new connection (performance.now()), -1 when none. */
  dnsAt: number;
  connectAt: number;
  tlsAt: number;
  /** firstByte is the first byte the server sent on this run, for the TLS-on-a-plain-URL hint. */
  firstByte: number;
  errorMessage: string;
}

/** newTransfer starts the record of a run, its clock at now. */
export function newTransfer(): Transfer {
  return {
    url: null,
    method: 'GET',
    response: null,
    begin: performance.now(),
    redirects: 0,
    connects: 0,
    headerBytes: 0,
    requestBytes: 0,
    uploadBytes: 0,
    downloadBytes: 0,
    remoteIp: '',
    remotePort: '',
    dnsAt: -1,
    connectAt: -1,
    tlsAt: -1,
    firstByte: -1,
    errorMessage: '',
  };
}

/** formatTimings lists when each phase ended, in seconds since `begin` (like curl -w time_*). */
export function formatTimings(transfer: Transfer, response: ClientResponse): string {
  const begin = transfer.begin;
  const at = (stamp: number): string => (stamp < 0 ? '-' : `${((stamp - begin) / 1000).toFixed(6)} s`);
  const t = response.timings;
  return [
    `dns         ${at(transfer.dnsAt)}`,
    `connect     ${at(transfer.connectAt)}`,
    `tls         ${at(transfer.tlsAt)}`,
    `first byte  ${at(t.firstByte)}`,
    `total       ${at(t.end < 0 ? performance.now() : t.end)}`,
    `reused      ${t.isReused ? 'yes' : 'no'}`,
  ].join('\n');
}

function seconds(from: number, stamp: number): string {
  return (stamp < 0 ? 0 : (stamp - from) / 1000).toFixed(6);
}

/** writeOutValues formats the -w variables of a finished (or failed) run. */
export function writeOutValues(transfer: Transfer, exitCode: number): WriteOutValues {
  const response = transfer.response;
  const now = performance.now();
  const begin = transfer.begin;
  const total = (now - begin) / 1000;
  const code = response === null ? '000' : String(response.status);
  const url = response === null ? (transfer.url?.href ?? '') : response.url;
  return {
    content_type: response?.headers.get('content-type') ?? '',
    errormsg: transfer.errorMessage,
    exitcode: String(exitCode),
    http_code: code,
    response_code: code,
    http_version: response === null ? '0' : response.httpVersion === '1.0' ? '1' : response.httpVersion === '2' ? '2' : '1.1',
    method: transfer.method,
    num_connects: String(transfer.connects),
    num_headers: String(response?.headers.size ?? 0),
    num_redirects: String(transfer.redirects),
    redirect_url: response === null ? '' : (response.headers.get('location') === undefined ? '' : new URL(response.headers.get('location') as string, response.url).href),
    remote_ip: transfer.remoteIp,
    remote_port: transfer.remotePort,
    scheme: (transfer.url?.protocol ?? '').replace(':', '').toUpperCase(),
    size_download: String(transfer.downloadBytes),
    size_header: String(transfer.headerBytes),
    size_request: String(transfer.requestBytes),
    size_upload: String(transfer.uploadBytes),
    speed_download: String(total > 0 ? Math.round(transfer.downloadBytes / total) : 0),
    time_namelookup: seconds(begin, transfer.dnsAt),
    time_connect: seconds(begin, transfer.connectAt),
    time_appconnect: seconds(begin, transfer.tlsAt),
    time_starttransfer: seconds(begin, response?.timings.firstByte ?? -1),
    time_total: total.toFixed(6),
    url: transfer.url?.href ?? '',
    url_effective: url,
  };
}
