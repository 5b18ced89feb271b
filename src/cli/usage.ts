import { CourierError, brand } from '../http/index.js';

/** UsageError is a bad command line: the CLI prints its message and exits with status 2. */
export class UsageError extends CourierError {
  override readonly name = 'UsageError';
  declare readonly code: 'CLI_USAGE';

  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}

brand(UsageError, 'UsageError');
