/** HttpVersion names a protocol version as it appears after "HTTP/": 1.0, 1.1 or 2. */
export type HttpVersion = '1.0' | '1.1' | '2';
