/**
 * forwardToReal makes every member of `native` that `lazy` does not define itself forward to the
 * real object that `lazy[materialize]()` builds: methods are called on it, getters read from it.
 * Then `lazy` inherits from `native`, so `instanceof` holds. The lazy Request of serve({ fetch })
 * and LightResponse both use it.
 */
export function forwardToReal(lazy: object, native: object, materialize: symbol): void {
  for (const name of Object.getOwnPropertyNames(native)) {
    if (name === 'constructor' || Object.prototype.hasOwnProperty.call(lazy, name)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(native, name) as PropertyDescriptor;
    if (typeof descriptor.value === 'function') {
      Object.defineProperty(lazy, name, {
        configurable: true,
        writable: true,
        value(this: Record<symbol, () => unknown>, ...args: unknown[]): unknown {
          const real = (this[materialize] as () => Record<string, (...a: unknown[]) => unknown>)();
          return (real[name] as (...a: unknown[]) => unknown).apply(real, args);
        },
      });
    } else if (descriptor.get !== undefined) {
      Object.defineProperty(lazy, name, {
        configurable: true,
        get(this: Record<symbol, () => unknown>): unknown {
          return ((this[materialize] as () => Record<string, unknown>)())[name];
        },
      });
    }
  }
  Object.setPrototypeOf(lazy, native);
}
