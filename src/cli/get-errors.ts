import { CourierError, brand } from '../http/index.js';

/**
 * ExitError ends `courier get` with a message and a curl exit status: 22 an HTTP error with
 * --fail, 23 a write error, 26 a file that cannot be read, 6 an address of the wrong family.
 */
export class ExitError extends CourierError {
  override readonly name = 'ExitError';
  declare readonly code: 'CLI_EXIT';
  readonly status: number;

  constructor(status: number, message: string) {
    super('CLI_EXIT', message);
    this.status = status;
  }
}

brand(ExitError, 'ExitError');
