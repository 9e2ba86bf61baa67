/**
 * The Categories section: what each category's posts get — Notify (listed, counted, announced),
 * List only (listed and counted, never announced) or Mute (hidden from Unread, the badge and
 * notifications). One labelled select per category, saved on change.
 */
import type { CategoryMode } from '@/utils/settings';
import type { SettingsState } from '@/utils/state/settings-state';

export const CATEGORY_MODE_LABELS: Record<CategoryMode, string> = {
  notify: 'Notify',
  list: 'List only',
  mute: 'Mute',
};

export function CategoryModes({ state }: { state: SettingsState }) {
  const categories = state.categories.value;
  return (
    <section aria-labelledby="categories-heading" class="options-section categories">
      <h2 id="categories-heading">Categories</h2>
      <p class="hint">
        Notify: listed and announced. List only: listed and counted, never announced. Mute: hidden
        from Unread, the badge and notifications (still searchable).
      </p>
      <p role="status" class="status">
        {state.statusIn.value === 'categories' ? state.status.value : ''}
      </p>
      {categories.length === 0 ? (
        <p class="empty">No categories yet: they appear once your blogs have unread posts.</p>
      ) : (
        <ul aria-label="Categories" class="category-modes">
          {categories.map((category, index) => (
            <li key={category.key}>
              <label htmlFor={`category-${index}`} dir="auto">
                {category.name}
              </label>
              {category.unread > 0 && <span class="meta">{`${category.unread} unread`}</span>}
              <select
                id={`category-${index}`}
                value={category.mode}
                onChange={(event) =>
                  void state.setCategoryMode(
                    category.key,
                    event.currentTarget.value as CategoryMode,
                  )
                }
              >
                {(Object.keys(CATEGORY_MODE_LABELS) as CategoryMode[]).map((mode) => (
                  <option key={mode} value={mode}>
                    {CATEGORY_MODE_LABELS[mode]}
                  </option>
                ))}
              </select>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
