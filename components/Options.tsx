/**
 * The options page: add a blog; the blogs followed, each with its health and own settings;
 * Settings; Categories; Data (OPML, backup, delete everything — its code loaded on demand).
 */
import { useEffect } from 'preact/hooks';
import type { OptionsState } from '@/utils/state/options-state';
import type { SettingsState } from '@/utils/state/settings-state';
import { AddBlogForm } from './AddBlogForm';
import { BlogList } from './BlogList';
import { CategoryModes } from './CategoryModes';
import { lazy } from './lazy';
import { SettingsSection } from './SettingsSection';

const DataSection = lazy(() => import('./DataSection').then((module) => module.DataSection));

export function Options({ state, settings }: { state: OptionsState; settings: SettingsState }) {
  useEffect(() => {
    void state.loadData();
  }, [state]);
  const data = state.data.value;
  return (
    <main class="options">
      <h1>Dispatch settings</h1>
      <AddBlogForm state={state} />
      <section aria-labelledby="blogs-heading" class="blogs-section">
        <h2 id="blogs-heading">Blogs</h2>
        {state.loaded.value && (
          <BlogList
            blogs={state.blogs.value}
            now={state.clock.value}
            checking={state.checking.value}
            defaultInterval={settings.values.value?.pollIntervalMinutes}
            actions={state}
            relearning={state.relearning.value}
            editor={state.listingEditor.value}
            listingBusy={state.listingBusy.value}
          />
        )}
      </section>
      <SettingsSection state={settings} />
      <CategoryModes state={settings} />
      <section aria-labelledby="data-heading" class="options-section">
        <h2 id="data-heading">Data</h2>
        {data && <DataSection state={data} />}
      </section>
    </main>
  );
}
