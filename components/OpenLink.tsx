/**
 * A feed-supplied link that opens through an action (a new tab, and whatever the action records,
 * such as marking the post read) instead of navigating the popup. Text only; without a safe
 * http(s) address it renders the text alone.
 */
export function OpenLink({
  href,
  text,
  onOpen,
}: {
  href?: string;
  text: string;
  onOpen: () => unknown;
}) {
  if (!href) return <>{text}</>;
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      onClick={(event) => {
        event.preventDefault();
        void onOpen();
      }}
    >
      {text}
    </a>
  );
}
