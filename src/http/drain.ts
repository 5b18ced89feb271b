import type { Writable } from 'node:stream';

/** waitDrain resolves when the socket (or any writable) drains or closes, whichever comes first. */
export function waitDrain(socket: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
