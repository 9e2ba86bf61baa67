/**
 * The header's line about the blogs' health: a blog failing for a day or more, or gone
 * ("Edge Notes has failed since yesterday"), with a link to the settings, where each blog says
 * what is wrong and can be checked again. The live region is always in the page, so a flag
 * that appears while the popup is open is read out; it takes no room while empty.
 */
export function HealthAlert({
  text,
  onOpenSettings,
}: {
  text: string;
  onOpenSettings: () => void;
}) {
  return (
    <div class="health-alert" aria-live="polite">
      {text && (
        <p>
          <span class="health-text" dir="auto">
            {text}
          </span>{' '}
          <a
            href="options.html"
            onClick={(event) => {
              event.preventDefault();
              onOpenSettings();
            }}
          >
            Open settings
          </a>
        </p>
      )}
    </div>
  );
}
