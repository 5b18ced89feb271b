// courier: the public API. Re-exports only; see src/wire for the codec.

// Wire codec
export {
  Fields,
  RequestParser,
  ResponseParser,
  WireError,
  serializeRequestHead,
  serializeResponseHead,
} from './wire/index.js';
export type { RequestHead, ResponseHead, WireErrorCode } from './wire/index.js';
