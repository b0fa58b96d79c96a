/**
 * For unit tests of validation: the error that `run` throws, which must be an instance of `kind`; the test
 * fails when `run` returns instead.
 */
export function errorThrownBy<E extends Error>(
  run: () => unknown,
  kind: abstract new (...args: never[]) => E,
): E {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(kind);
    return error as E;
  }
  throw new Error(`expected a ${kind.name}, but nothing was thrown`);
}

/** The same for a promise that must reject with an instance of `kind`. */
export async function errorRejectedBy<E extends Error>(
  promise: Promise<unknown>,
  kind: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(kind);
    return error as E;
  }
  throw new Error(`expected a ${kind.name}, but the promise resolved`);
}
