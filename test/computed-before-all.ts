/**
 * A suite's fixture computed once in `beforeAll` (and disposed of in `afterAll` when `dispose` is given),
 * instead of `let` variables assigned in the hook. Register it before the suite's own hooks, which can then
 * use it. The object returned reads through to the computed value, so it can be passed around and used like
 * the value itself from the first hook on.
 */
export function computedBeforeAll<T extends object>(
  compute: () => Promise<T> | T,
  dispose?: (value: T) => Promise<void>,
): T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await compute();
  });
  afterAll(async () => {
    if (value && dispose) await dispose(value);
  });
  return new Proxy({} as T, {
    get(_, field) {
      if (!value) throw new Error('computed in beforeAll: use it inside hooks and tests');
      const read = Reflect.get(value, field);
      // Methods run on the value itself, not on this stand-in (a class keeps its state on `this`).
      return typeof read === 'function' ? read.bind(value) : read;
    },
  });
}
