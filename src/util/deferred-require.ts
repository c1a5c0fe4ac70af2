import { Module } from 'node:module';

/**
 * Puts a stand-in for a CommonJS module into `require`'s cache, so that a library that requires it at the
 * top of its own module, but uses it only in some configurations, does not load it at every start. The
 * stand-in is the module's `exports` as seen from outside: reading, listing or testing any of its
 * properties loads the real module then (it replaces the stand-in in the cache, so later `require`s get it
 * directly) and answers from it. Only `__esModule` is answered without loading: the stand-in is for modules
 * compiled from TypeScript, which all set it, and interop helpers (`__importDefault`) read it at require
 * time. Does nothing when the module is loaded (or deferred) already.
 */
export function deferRequire(require: NodeJS.Require, specifier: string): void {
  const file = require.resolve(specifier);
  if (require.cache[file]) return;
  let real: object | undefined;
  const load = (): object => {
    if (!real) {
      delete require.cache[file];
      real = require(file) as object;
    }
    return real;
  };
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = new Proxy(Object.create(null) as object, {
    get: (_target, key) => (key === '__esModule' ? true : Reflect.get(load(), key)),
    has: (_target, key) => key === '__esModule' || Reflect.has(load(), key),
    ownKeys: () => Reflect.ownKeys(load()),
    // Reported configurable: the (empty) target has none of these properties, and a proxy may not claim a
    // fixed property its target lacks.
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
  });
  require.cache[file] = standIn;
}
