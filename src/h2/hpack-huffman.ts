// HPACK Huffman coding (RFC 7541 §5.2, Appendix B). Decoding walks a state machine four bits at a
// time: the states are the 256 inner nodes of the code tree, and each (state, nibble) pair says
// where to go next and which symbol, if any, was completed. The table is built once at load.
import { Buffer } from 'node:buffer';
import { H2ConnectionError } from './errors.js';
import { HUFFMAN_CODES, HUFFMAN_LENGTHS } from './hpack-huffman-table.js';

const EOS = 256;

// Transition entry: bits 0-7 next state, bits 8-16 symbol + 1 (0 = none), bit 17 failed (EOS).
const EMITS_SHIFT = 8;
const FAIL = 1 << 17;

function buildDecoder(): { transitions: Int32Array; acceptsEnd: Uint8Array } {
  // Tree of inner nodes: children >= 0 are inner node ids, < 0 are leaves (-1 - symbol).
  const left: number[] = [0];
  const right: number[] = [0];
  let nodeCount = 1;
  const UNSET = 0;
  left[0] = UNSET;
  right[0] = UNSET;
  for (let symbol = 0; symbol <= EOS; symbol++) {
    const code = HUFFMAN_CODES[symbol] as number;
    const length = HUFFMAN_LENGTHS[symbol] as number;
    let node = 0;
    for (let bit = length - 1; bit >= 0; bit--) {
      const isOne = ((code >>> bit) & 1) === 1;
      const children = isOne ? right : left;
      if (bit === 0) {
        children[node] = -1 - symbol;
      } else {
        if (children[node] === UNSET) {
          children[node] = nodeCount;
          left[nodeCount] = UNSET;
          right[nodeCount] = UNSET;
          nodeCount++;
        }
        node = children[node] as number;
      }
    }
  }
  // A node is a valid end of string when the bits since the last symbol are all ones and at most
  // 7 of them (RFC 7541 §5.2): the most significant bits of EOS used as padding.
  const acceptsEnd = new Uint8Array(nodeCount);
  let node = 0;
  for (let depth = 0; depth <= 7; depth++) {
    acceptsEnd[node] = 1;
    node = right[node] as number;
  }
  const transitions = new Int32Array(nodeCount * 16);
  for (let state = 0; state < nodeCount; state++) {
    for (let nibble = 0; nibble < 16; nibble++) {
      let at = state;
      let entry = 0;
      for (let bit = 3; bit >= 0; bit--) {
        const child = (((nibble >>> bit) & 1) === 1 ? right[at] : left[at]) as number;
        if (child < 0) {
          const symbol = -1 - child;
          if (symbol === EOS) {
            entry |= FAIL;
            break;
          }
          entry |= (symbol + 1) << EMITS_SHIFT;
          at = 0;
        } else {
          at = child;
        }
      }
      transitions[state * 16 + nibble] = entry | at;
    }
  }
  return { transitions, acceptsEnd };
}

const { transitions: TRANSITIONS, acceptsEnd: ACCEPTS_END } = buildDecoder();

let scratch = Buffer.allocUnsafe(4096);

/**
 * huffmanDecode decodes `input[start, end)` to a latin1 string. An EOS symbol, padding longer than
 * 7 bits or padding that is not all ones is a COMPRESSION_ERROR (RFC 7541 §5.2).
 */
export function huffmanDecode(input: Uint8Array, start: number, end: number): string {
  // The shortest code is 5 bits, so n octets decode to at most 8n/5 symbols.
  const most = Math.ceil(((end - start) * 8) / 5);
  if (scratch.length < most) scratch = Buffer.allocUnsafe(Math.max(most, scratch.length * 2));
  const out = scratch;
  let written = 0;
  let state = 0;
  for (let i = start; i < end; i++) {
    const octet = input[i] as number;
    let entry = TRANSITIONS[state * 16 + (octet >>> 4)] as number;
    if ((entry & FAIL) !== 0) throw eosError();
    let emits = (entry >>> EMITS_SHIFT) & 0x1ff;
    if (emits !== 0) out[written++] = emits - 1;
    state = entry & 0xff;
    entry = TRANSITIONS[state * 16 + (octet & 0x0f)] as number;
    if ((entry & FAIL) !== 0) throw eosError();
    emits = (entry >>> EMITS_SHIFT) & 0x1ff;
    if (emits !== 0) out[written++] = emits - 1;
    state = entry & 0xff;
  }
  if (ACCEPTS_END[state] !== 1) {
    throw new H2ConnectionError(
      'H2_HPACK_HUFFMAN_PADDING',
      'Invalid Huffman string: padding is longer than 7 bits or not all ones (RFC 7541 §5.2)',
    );
  }
  return out.toString('latin1', 0, written);
}

function eosError(): H2ConnectionError {
  return new H2ConnectionError('H2_HPACK_HUFFMAN_EOS', 'Invalid Huffman string: contains the EOS symbol (RFC 7541 §5.2)');
}

/** huffmanEncodedLength returns how many octets the Huffman coding of a latin1 string takes. */
export function huffmanEncodedLength(value: string): number {
  let bits = 0;
  for (let i = 0; i < value.length; i++) bits += HUFFMAN_LENGTHS[value.charCodeAt(i) & 0xff] as number;
  return (bits + 7) >>> 3;
}

/**
 * huffmanEncode writes the Huffman coding of a latin1 string into `out` at `offset`, padded with
 * the most significant bits of EOS (all ones), and returns the offset after it.
 */
export function huffmanEncode(value: string, out: Uint8Array, offset: number): number {
  let pending = 0; // fewer than 8 bits waiting for their octet
  let pendingBits = 0;
  let at = offset;
  for (let i = 0; i < value.length; i++) {
    const symbol = value.charCodeAt(i) & 0xff;
    const code = HUFFMAN_CODES[symbol] as number;
    let length = HUFFMAN_LENGTHS[symbol] as number;
    while (length > 0) {
      const take = Math.min(8 - pendingBits, length);
      length -= take;
      pending = (pending << take) | ((code >>> length) & ((1 << take) - 1));
      pendingBits += take;
      if (pendingBits === 8) {
        out[at++] = pending;
        pending = 0;
        pendingBits = 0;
      }
    }
  }
  if (pendingBits > 0) out[at++] = (pending << (8 - pendingBits)) | (0xff >>> pendingBits);
  return at;
}
