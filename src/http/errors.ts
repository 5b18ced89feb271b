// The root of every error courier raises. Each layer's errors.ts extends it (WireError, H2Error,
// ServerError, StaticError, ClientError, BrowserError and their subclasses), and so do the CLI's
// UsageError and ExitError.

const BRAND = Symbol.for('courier.brand');

type Branded = { [BRAND]?: symbol };
type ErrorClass = abstract new (...args: never[]) => CourierError;

/**
 * CourierError is the root class of courier's errors. `code` is stable: switch on it, never on
 * messages. `X.is(value)` tells an X (or a subclass of X) apart even when it comes from another
 * copy of the package, where `instanceof` fails; it is true only for X and its subclasses, never
 * for a sibling (`TimeoutError.is(connectError)` is false).
 */
export class CourierError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** is tells whether `value` is an instance of this class (or a subclass), across package copies. */
  static is<C extends ErrorClass>(this: C, value: unknown): value is InstanceType<C> {
    const brand = (this as unknown as Branded)[BRAND];
    return typeof value === 'object' && value !== null && brand !== undefined && (value as Record<symbol, unknown>)[brand] === true;
  }
}

/**
 * brand marks an error class with `Symbol.for('courier.<name>')`, which `is` looks for. Every
 * class under CourierError calls it once, right after its declaration.
 */
export function brand(errorClass: ErrorClass, name: string): void {
  const symbol = Symbol.for(`courier.${name}`);
  Object.defineProperty(errorClass, BRAND, { value: symbol });
  Object.defineProperty(errorClass.prototype, symbol, { value: true });
}

brand(CourierError, 'CourierError');
