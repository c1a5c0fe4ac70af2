import { newRefId } from './slack/respond-error.js';

type Log = {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
};

/**
 * Logs any error that escapes a request or a background task (with a reference id) and keeps the bot
 * running: one bad request must not end the process and drop everyone else's work. Every handler of the bot
 * already catches what it expects; this is the net under the net (a library throwing outside our code).
 */
export function installErrorNet(logger: Log): void {
  process.on('unhandledRejection', (reason) => {
    logger.error('an error escaped its request; the bot keeps running', { refId: newRefId(), error: reason });
  });
  process.on('uncaughtException', (error) => {
    logger.error('an exception escaped its request; the bot keeps running', { refId: newRefId(), error });
  });
}

/**
 * SIGTERM / SIGINT stop the bot gracefully: new work is refused and the work in flight drains for up to
 * SHUTDOWN_TIMEOUT. A second signal meanwhile (an impatient Ctrl-C, an orchestrator repeating SIGTERM) is
 * logged and ignored, so the drain is not cut short; once SHUTDOWN_TIMEOUT has passed the process exits
 * whatever is left. `ready()` is called once the bot is up: a signal during the start waits for it.
 */
export function installStopSignals(opts: {
  logger: Log;
  timeoutMs: number;
  stop: () => Promise<void>;
  exit?: (code: number) => void;
}): { ready(): void } {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let isReady = false;
  let requested: string | undefined;
  let stopping = false;

  const begin = (signal: string) => {
    stopping = true;
    opts.logger.info('stopping', { signal, shutdownTimeoutMs: opts.timeoutMs });
    // The drain is bounded by the same timeout inside stop(); this is the backstop should stop() hang.
    setTimeout(() => {
      opts.logger.error('stop did not finish within SHUTDOWN_TIMEOUT; exiting', {
        timeoutMs: opts.timeoutMs,
      });
      exit(1);
    }, opts.timeoutMs + 5_000).unref();
    void opts.stop().then(
      () => exit(0),
      (error: unknown) => {
        opts.logger.error('error while stopping', { error });
        exit(1);
      },
    );
  };
  const onSignal = (signal: string) => {
    if (stopping || requested) {
      opts.logger.warn('stop signal ignored: already stopping, waiting for the work in flight', { signal });
      return;
    }
    if (!isReady) {
      opts.logger.info('stop requested while starting: stopping once started', { signal });
      requested = signal;
      return;
    }
    begin(signal);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  return {
    ready() {
      isReady = true;
      if (requested) begin(requested);
    },
  };
}
