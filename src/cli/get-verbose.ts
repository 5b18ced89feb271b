// `courier get -v`: connection facts, then request and response heads, coloured on a terminal.
import type { Socket } from 'node:net';
import type { ClientResponse } from '../client/index.js';
import { describeConnection } from './get-hints.js';
import { colourHead, usesColour } from './get-terminal.js';
import { formatRequestHead, formatResponseHead } from './trace.js';

/** Verbose holds -v output: a request head waits until its connection is described. */
export class Verbose {
  readonly #isOn: boolean;
  readonly #isColour: boolean;
  #pending = '';

  constructor(isOn: boolean) {
    this.#isOn = isOn;
    this.#isColour = isOn && usesColour(process.stderr);
  }

  #write(text: string): void {
    process.stderr.write(this.#isColour ? colourHead(text) : text);
  }

  requestHead(head: string): void {
    if (this.#isOn) this.#pending += formatRequestHead(head);
  }

  connected(socket: Socket): void {
    if (!this.#isOn) return;
    this.#write(describeConnection(socket).map((line) => `* ${line}\n`).join(''));
    this.flush();
  }

  flush(): void {
    if (this.#pending === '') return;
    this.#write(this.#pending);
    this.#pending = '';
  }

  response(response: ClientResponse): void {
    if (!this.#isOn) return;
    this.flush();
    this.#write(formatResponseHead(response));
  }

  drop(): void {
    this.#pending = '';
  }
}
