// Every table of the portal: named by its caption, inside a region that scrolls sideways on its own, so a wide table
// never makes the whole page scroll at 320 px or at 400 % zoom (WCAG 1.4.10). The region takes the focus
// (tabindex 0) so that a keyboard can scroll it (2.1.1), and says what it holds by the caption's name.
import type { ComponentChildren } from "preact";
import type { MessageKey, Translate } from "./messages.js";

export function DataTable({
  t,
  id,
  caption,
  captionShown = false,
  columns,
  class: className,
  children,
}: {
  t: Translate;
  /** Unique in the page: the caption's id is made from it. */
  id: string;
  caption: ComponentChildren;
  /** Most tables follow a heading that says the same: their caption is for screen readers only. */
  captionShown?: boolean;
  /** The column headings; a table with a heading of its own shape gives its thead among the children. */
  columns?: readonly MessageKey[];
  class?: string;
  children: ComponentChildren;
}) {
  const captionId = `${id}-legende`;
  return (
    // A section named by aria-labelledby is a region (the same as <div role="region">).
    <section class="table-scroll" aria-labelledby={captionId} tabindex={0}>
      <table class={className}>
        <caption id={captionId} class={captionShown ? undefined : "visually-hidden"}>
          {caption}
        </caption>
        {columns ? (
          <thead>
            <tr>
              {columns.map((key) => (
                <th key={key} scope="col">
                  {t(key)}
                </th>
              ))}
            </tr>
          </thead>
        ) : null}
        {children}
      </table>
    </section>
  );
}
