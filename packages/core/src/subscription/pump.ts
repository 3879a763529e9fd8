/**
 * A single-flight, re-runnable loop for subscriptions that poll a backend: `wake()` runs `step`
 * unless it is already running, in which case it runs once more when the current pass ends (a
 * wake-up that arrives mid-read is never lost, and reads never overlap). `step` returns true when it
 * left work behind (a full page) so that the loop goes on at once. The loop stops while `alive()` is
 * false; an error ends the pass quietly, because the next wake-up (a commit, a poll tick) retries.
 */
export function createPump(step: () => Promise<boolean | void>, alive: () => boolean): () => void {
  let running = false;
  let again = false;
  return function wake(): void {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void (async () => {
      try {
        do {
          again = false;
          if (!alive()) return;
          if ((await step()) === true) again = true;
        } while (again);
      } catch {
        // The adapter closed under the read, or the backend failed: the next wake tries again.
      } finally {
        running = false;
      }
    })();
  };
}
