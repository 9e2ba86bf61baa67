/**
 * A feed-supplied link that opens through an action (a new tab, and whatever the action records,
 * such as marking the post read) instead of navigating the popup. Text only (`children` may
 * mark parts of that text, as search highlights do); without a safe http(s) address it renders
 * the text alone. The full text is its `title`, for titles clamped to two lines.
 */
import type { ComponentChildren } from 'preact';

export function OpenLink({
  href,
  text,
  onOpen,
  children,
}: {
  href?: string;
  text: string;
  onOpen: () => unknown;
  children?: ComponentChildren;
}) {
  if (!href) return <>{children ?? text}</>;
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      title={text}
      onClick={(event) => {
        event.preventDefault();
        void onOpen();
      }}
    >
      {children ?? text}
    </a>
  );
}
