export interface WaitOptions {
  /** How long to keep trying before failing; 10 s unless told. */
  timeoutMs?: number
  /** The pause between tries; 50 ms unless told. */
  intervalMs?: number
  /** What is awaited, for the error when it never comes. */
  message?: string
}

/** What a check returns once it is satisfied. */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>

/**
 * Calls `check` until it returns a truthy value and returns that value; fails after `timeoutMs`.
 * A `check` that throws stops the wait with its error, so it can also say "this will never come".
 * Only for waiting on something that must happen; a test that something did not happen waits for
 * a later event that must come after it instead.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: WaitOptions = {},
): Promise<Truthy<T>> {
  const { timeoutMs = 10_000, intervalMs = 50, message = 'a condition' } = options
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value as Truthy<T>
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
