// src/http: what every HTTP version shares. Imports nothing of ours.
export { BatchedOutput } from './batched-output.js';
export { FIELD_VALUE, LOWER, TOKEN, fieldValueProblem, tokenProblem } from './chars.js';
export { formatHttpDate, httpDate, parseHttpDate } from './date.js';
export { waitDrain } from './drain.js';
export { CourierError, brand } from './errors.js';
export { Fields } from './fields.js';
export { forEachField } from './headers-init.js';
export type { FieldValue, HeadersInit } from './headers-init.js';
export { reasonPhrase } from './status.js';
export { hasToken } from './tokens.js';
export { baseUrl, hostForUrl } from './url.js';
export type { HttpVersion } from './version.js';
export { titleCase } from './title-case.js';
