/** What `work` throws (undefined if nothing), for asserting on an error's code and details, not just its text. */
export function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
}
