import type { ReactNode } from 'react';

/** One headline number of a tile row (`.tiles`): a titled section, labelled by its heading. */
export function Tile({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="tile" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
