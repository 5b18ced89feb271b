// courier: the public API. Re-exports only, grouped by layer.

// Wire codec (also at courier/wire)
export {
  Fields,
  RequestParser,
  ResponseParser,
  WireError,
  serializeRequestHead,
  serializeResponseHead,
} from './wire/index.js';
export type { RequestHead, ResponseHead, WireErrorCode } from './wire/index.js';

// Server

// Static files

// Client
