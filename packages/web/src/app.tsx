import type { MouseEvent } from 'react';
import { AREAS, areaFor } from './areas.tsx';
import { usePath } from './router.tsx';

export function App() {
  const [path, navigate] = usePath();
  const area = areaFor(path);
  const follow = (e: MouseEvent<HTMLAnchorElement>, to: string) => {
    // Let modified clicks open a new tab as usual.
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
  const Page = area?.component;
  return (
    <div className="shell">
      <aside className="sidebar">
        <a className="brand" href="/" onClick={(e) => follow(e, '/')}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>CX Cockpit</span>
        </a>
        <nav aria-label="Cockpit areas">
          <ul>
            {AREAS.map((a) => (
              <li key={a.path}>
                <a
                  href={a.path}
                  title={a.description}
                  aria-current={a === area ? 'page' : undefined}
                  onClick={(e) => follow(e, a.path)}
                >
                  {a.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <main className="content">
        {Page ? (
          <Page />
        ) : (
          <section aria-labelledby="nf">
            <h1 id="nf">Page not found</h1>
            <p>
              There is no page at <code>{path}</code>.{' '}
              <a href="/" onClick={(e) => follow(e, '/')}>
                Go to the Overview
              </a>
              .
            </p>
          </section>
        )}
      </main>
    </div>
  );
}
