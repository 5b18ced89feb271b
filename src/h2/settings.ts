// SETTINGS parameters (RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1): identifiers, defaults,
// the value rules whose violation is a connection error, and applying a SETTINGS frame.
import { H2ConnectionError } from './errors.js';
import { MAX_WINDOW_SIZE } from './frames.js';

/** SettingId holds the identifiers of the settings this codec knows. */
export const SettingId = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
  ENABLE_CONNECT_PROTOCOL: 0x8,
  NO_RFC7540_PRIORITIES: 0x9,
} as const;

/** Settings are one endpoint's settings; Infinity stands for "no limit" (the initial value of two of them). */
export interface Settings {
  headerTableSize: number;
  enablePush: boolean;
  maxConcurrentStreams: number;
  initialWindowSize: number;
  maxFrameSize: number;
  maxHeaderListSize: number;
  enableConnectProtocol: boolean;
  noRfc7540Priorities: boolean;
}

/** DEFAULT_SETTINGS are the initial values every endpoint starts from (RFC 9113 §6.5.2). */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  headerTableSize: 4096,
  enablePush: true,
  maxConcurrentStreams: Infinity,
  initialWindowSize: 65535,
  maxFrameSize: 16384,
  maxHeaderListSize: Infinity,
  enableConnectProtocol: false,
  noRfc7540Priorities: false,
});

/** MIN_MAX_FRAME_SIZE and MAX_MAX_FRAME_SIZE bound SETTINGS_MAX_FRAME_SIZE: 2^14 to 2^24-1 (RFC 9113 §6.5.2). */
export const MIN_MAX_FRAME_SIZE = 16384;
export const MAX_MAX_FRAME_SIZE = 16777215;

const KEYS: Record<number, keyof Settings> = {
  [SettingId.HEADER_TABLE_SIZE]: 'headerTableSize',
  [SettingId.ENABLE_PUSH]: 'enablePush',
  [SettingId.MAX_CONCURRENT_STREAMS]: 'maxConcurrentStreams',
  [SettingId.INITIAL_WINDOW_SIZE]: 'initialWindowSize',
  [SettingId.MAX_FRAME_SIZE]: 'maxFrameSize',
  [SettingId.MAX_HEADER_LIST_SIZE]: 'maxHeaderListSize',
  [SettingId.ENABLE_CONNECT_PROTOCOL]: 'enableConnectProtocol',
  [SettingId.NO_RFC7540_PRIORITIES]: 'noRfc7540Priorities',
};

/**
 * checkSetting returns the connection error a received setting value deserves, or null. Unknown
 * identifiers are fine: they are ignored (RFC 9113 §6.5.2).
 */
export function checkSetting(id: number, value: number): H2ConnectionError | null {
  switch (id) {
    case SettingId.ENABLE_PUSH:
    case SettingId.ENABLE_CONNECT_PROTOCOL:
    case SettingId.NO_RFC7540_PRIORITIES:
      if (value > 1) return new H2ConnectionError('H2_BAD_SETTING_VALUE', `Invalid SETTINGS: ${settingName(id)} is ${value}, not 0 or 1`);
      return null;
    case SettingId.INITIAL_WINDOW_SIZE:
      if (value > MAX_WINDOW_SIZE) {
        return new H2ConnectionError('H2_BAD_INITIAL_WINDOW_SIZE', `Invalid SETTINGS: INITIAL_WINDOW_SIZE ${value} is above 2^31-1 (RFC 9113 §6.5.2)`);
      }
      return null;
    case SettingId.MAX_FRAME_SIZE:
      if (value < MIN_MAX_FRAME_SIZE || value > MAX_MAX_FRAME_SIZE) {
        return new H2ConnectionError('H2_BAD_SETTING_VALUE', `Invalid SETTINGS: MAX_FRAME_SIZE ${value} is outside 16384..16777215 (RFC 9113 §6.5.2)`);
      }
      return null;
    default:
      return null;
  }
}

/** settingName names a setting identifier, for traces and messages. */
export function settingName(id: number): string {
  const key = (Object.keys(SettingId) as (keyof typeof SettingId)[]).find((name) => SettingId[name] === id);
  return key ?? `UNKNOWN(0x${id.toString(16)})`;
}

/** applySettings returns `settings` updated by received [id, value] pairs, in order; unknown ids are ignored. */
export function applySettings(settings: Readonly<Settings>, pairs: readonly (readonly [number, number])[]): Settings {
  const next: Settings = { ...settings };
  for (const [id, value] of pairs) {
    const key = KEYS[id];
    if (key === undefined) continue;
    if (key === 'enablePush' || key === 'enableConnectProtocol' || key === 'noRfc7540Priorities') next[key] = value === 1;
    else next[key] = value;
  }
  return next;
}

/** settingsPairs lists the [id, value] pairs that announce `settings` (booleans as 0/1, Infinity left out). */
export function settingsPairs(settings: Partial<Settings>): [number, number][] {
  const pairs: [number, number][] = [];
  for (const [id, key] of Object.entries(KEYS)) {
    const value = settings[key];
    if (value === undefined || value === Infinity) continue;
    pairs.push([Number(id), typeof value === 'boolean' ? (value ? 1 : 0) : value]);
  }
  return pairs;
}
