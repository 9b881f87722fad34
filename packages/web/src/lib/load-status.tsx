import type { ReactNode } from 'react';
import type { Loadable } from './use-get.ts';

/** The error box of a view: what failed (with the server's message) and a "Try again" button. */
export function ErrorBox({ children, retry }: { children: ReactNode; retry: () => void }) {
  return (
    <div role="alert" className="error">
      <p>{children}</p>
      <button type="button" onClick={retry}>
        Try again
      </button>
    </div>
  );
}

/**
 * The loading line and the error box (with the server's message and "Try again") above a view that
 * keeps its previous answer on screen. While a previous answer is shown, a reload is only announced to
 * screen readers, or not at all with `announceReload` false.
 */
export function LoadStatus<T>({
  result,
  retry,
  what,
  loadingText = `Loading the ${what}…`,
  announceReload = true,
}: {
  result: Loadable<T>;
  retry: () => void;
  what: string;
  loadingText?: string;
  announceReload?: boolean;
}) {
  if (result.state === 'loading') {
    if (result.previous && !announceReload) return null;
    return (
      <p role="status" className={result.previous ? 'visually-hidden' : 'loading'}>
        {loadingText}
      </p>
    );
  }
  if (result.state === 'error')
    return (
      <ErrorBox retry={retry}>
        The {what} could not be loaded: {result.message}
      </ErrorBox>
    );
  return null;
}
