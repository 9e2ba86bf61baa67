/** The options page: add a blog, and the list of blogs followed. */
import type { OptionsState } from '@/utils/state/options-state';
import { AddBlogForm } from './AddBlogForm';
import { BlogList } from './BlogList';

export function Options({ state }: { state: OptionsState }) {
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
            actions={state}
          />
        )}
      </section>
    </main>
  );
}
