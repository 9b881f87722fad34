import { useCallback, useEffect, useState } from 'react';

/**
 * A minimal history-API router: the cockpit has a handful of top-level areas, which does not justify
 * a routing library. The server answers every non-API GET with index.html, so deep links work.
 */
export function usePath(): [string, (to: string) => void] {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    if (to === window.location.pathname) return;
    window.history.pushState(null, '', to);
    // Tell every usePath (the shell and a page's own sub-views) that the path changed.
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, []);
  return [path, navigate];
}
