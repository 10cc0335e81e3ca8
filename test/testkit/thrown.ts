/** The error `work` throws, checked to be an instance of `type` (anything else fails the test). */
export function thrownBy<E extends Error>(work: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    work();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected ${type.name} to be thrown`);
}
