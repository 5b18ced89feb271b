// courier/client: request() and fetch() over pooled HTTP/1.x connections.

export { Agent } from './agent.js';
export { getGlobalAgent, setGlobalAgent } from './global-agent.js';
export type { AgentOptions } from './agent.js';
export type { PoolOptions } from './pool.js';
export { Pool } from './pool.js';
export { request } from './request.js';
export type { ClientResponse, InterimResponse, RequestHeaders, RequestOptions } from './request.js';
export { fetch } from './fetch.js';
export type { FetchInit } from './fetch.js';
export { ResponseBody } from './response-body.js';
export type { RequestBody } from './body.js';
export type { Timings, WireObserver, Direction } from './types.js';
export { proxyFromEnv, isProxyBypassed } from './proxy.js';
export {
  AbortError,
  AgentClosedError,
  BodyTimeoutError,
  BodyUsedError,
  ClientError,
  ConnectError,
  ConnectFailedError,
  ConnectRefusedError,
  ConnectTimeoutError,
  DecompressionError,
  DecompressionLimitError,
  DnsError,
  HeadersTimeoutError,
  InvalidArgumentError,
  InvalidResponseError,
  InvalidUrlError,
  PartialBodyError,
  ProtocolError,
  ProxyError,
  RedirectError,
  RedirectRefusedError,
  RequestTimeoutError,
  SocketClosedError,
  SocketError,
  SocketFailedError,
  TimeoutError,
  TlsError,
  TooManyInterimResponsesError,
  TooManyRedirectsError,
  UnsupportedProtocolError,
} from './errors.js';
export type { ClientErrorCode } from './errors.js';
