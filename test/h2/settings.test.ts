// SETTINGS parameters: defaults, value rules, applying a frame's pairs and announcing settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, SettingId, applySettings, checkSetting, settingName, settingsPairs } from '../../src/h2/index.js';

test('the defaults are those of RFC 9113 §6.5.2', () => {
  assert.deepEqual(
    { ...DEFAULT_SETTINGS },
    {
      headerTableSize: 4096,
      enablePush: true,
      maxConcurrentStreams: Infinity,
      initialWindowSize: 65535,
      maxFrameSize: 16384,
      maxHeaderListSize: Infinity,
      enableConnectProtocol: false,
      noRfc7540Priorities: false,
    },
  );
});

test('checkSetting names the error each out-of-range value deserves', () => {
  const table: [number, number, string | null][] = [
    [SettingId.ENABLE_PUSH, 0, null],
    [SettingId.ENABLE_PUSH, 1, null],
    [SettingId.ENABLE_PUSH, 2, 'H2_BAD_SETTING_VALUE'],
    [SettingId.INITIAL_WINDOW_SIZE, 0x7fffffff, null],
    [SettingId.INITIAL_WINDOW_SIZE, 0x80000000, 'H2_BAD_INITIAL_WINDOW_SIZE'],
    [SettingId.MAX_FRAME_SIZE, 16383, 'H2_BAD_SETTING_VALUE'],
    [SettingId.MAX_FRAME_SIZE, 16384, null],
    [SettingId.MAX_FRAME_SIZE, 16777215, null],
    [SettingId.MAX_FRAME_SIZE, 16777216, 'H2_BAD_SETTING_VALUE'],
    [SettingId.NO_RFC7540_PRIORITIES, 7, 'H2_BAD_SETTING_VALUE'],
    [SettingId.HEADER_TABLE_SIZE, 0xffffffff, null],
    [0x4242, 0xffffffff, null],
  ];
  for (const [id, value, code] of table) assert.equal(checkSetting(id, value)?.reason ?? null, code, `${settingName(id)} = ${value}`);
  assert.equal(checkSetting(SettingId.INITIAL_WINDOW_SIZE, 0x80000000)?.errorName, 'FLOW_CONTROL_ERROR');
});

test('applySettings applies pairs in order and ignores unknown identifiers', () => {
  const next = applySettings(DEFAULT_SETTINGS, [
    [SettingId.MAX_CONCURRENT_STREAMS, 100],
    [SettingId.ENABLE_PUSH, 0],
    [0x4242, 1],
    [SettingId.MAX_CONCURRENT_STREAMS, 50],
  ]);
  assert.equal(next.maxConcurrentStreams, 50);
  assert.equal(next.enablePush, false);
  assert.equal(DEFAULT_SETTINGS.maxConcurrentStreams, Infinity);
});

test('settingsPairs announces what is set, booleans as 0/1, and leaves out Infinity', () => {
  assert.deepEqual(settingsPairs({ enablePush: false, maxConcurrentStreams: 100, maxHeaderListSize: Infinity, initialWindowSize: 1 << 20 }), [
    [SettingId.ENABLE_PUSH, 0],
    [SettingId.MAX_CONCURRENT_STREAMS, 100],
    [SettingId.INITIAL_WINDOW_SIZE, 1 << 20],
  ]);
  assert.equal(settingName(0x4242), 'UNKNOWN(0x4242)');
});
