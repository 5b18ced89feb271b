import { CourierError, brand } from '../http/index.js';

/**
 * ExitError ends a command with a message and an exit status. `courier get` and `courier render`
 * use curl's: 22 an HTTP error with --fail, 23 a write error, 26 a file that cannot be read, 6 an
 * address of the wrong family, 3 a URL that does not parse.
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
