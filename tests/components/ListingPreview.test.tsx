// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ListingPreview, type ListingPreviewProps } from '@/components/ListingPreview';
import type { ListingExtractor } from '@/utils/listing/extract';
import { withFieldRole } from '@/utils/listing/extract';
import { anExtractor, aPreview } from '../helpers/listing-preview';

describe('ListingPreview', () => {
  afterEach(cleanup);

  /** Renders the preview; records what it asks for. */
  function show(props: Partial<ListingPreviewProps> = {}) {
    const calls = {
      extractors: [] as ListingExtractor[],
      confirmed: [] as ListingExtractor[],
      cancelled: 0,
    };
    render(
      <ListingPreview
        preview={aPreview()}
        mode="follow"
        busy={false}
        onExtractor={(extractor) => calls.extractors.push(extractor)}
        onConfirm={(extractor) => calls.confirmed.push(extractor)}
        onCancel={() => (calls.cancelled += 1)}
        {...props}
      />,
    );
    return calls;
  }

  it('shows the summary, the description and the posts found, with category and minutes', () => {
    show();

    const section = screen.getByRole('region', { name: 'Follow this page' });
    const summary = within(section).getByText(
      '9 posts in 2 categories: State Space Model, Transformer',
    );
    expect(summary.tagName).toBe('P');
    expect(summary.className).toBe('listing-summary');
    expect(within(section).getByText(/^Cards: article\.card in main \(9 found\)\./)).toBeTruthy();
    expect(within(section).queryByRole('heading')).toBeNull();
    const posts = within(section).getByRole('list', { name: 'Posts found' });
    expect(
      within(posts)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Attention, briefly · Transformer · 2 min read', 'Mamba in a page']);
    expect(
      within(posts).getByRole('link', { name: 'Attention, briefly' }).getAttribute('href'),
    ).toBe('https://blog.example/posts/attention');
    expect(within(section).getByRole('button', { name: 'Follow this page' })).toBeTruthy();
    expect(within(section).getByRole('button', { name: 'Cancel' })).toBeTruthy();
  });

  it('offers a role for each card part, the current one chosen', () => {
    show();

    const details = screen.getByText('What Dispatch reads').closest('details');
    expect(details?.open).toBe(false);
    const role = screen.getByRole('combobox', {
      name: 'Role of “Transformer”',
    }) as HTMLSelectElement;
    expect([...role.options].map((option) => option.textContent)).toEqual([
      'Title',
      'Link',
      'Category',
      'Summary',
      'Date',
      'Reading time',
      'Nothing',
    ]);
    expect(role.value).toBe('category');
    expect(
      (screen.getByRole('combobox', { name: 'Role of “Read more”' }) as HTMLSelectElement).value,
    ).toBe('none');
    expect(screen.getAllByRole('combobox')).toHaveLength(5);
  });

  it('asks to read the page again with the role the user gave a part', () => {
    const calls = show();

    fireEvent.change(screen.getByRole('combobox', { name: 'Role of “Transformer”' }), {
      target: { value: 'summary' },
    });
    fireEvent.change(screen.getByRole('combobox', { name: 'Role of “Read more”' }), {
      target: { value: 'date' },
    });

    expect(calls.extractors).toEqual([
      withFieldRole(anExtractor(), 'div.meta > span:nth-of-type(1)', 'summary'),
      withFieldRole(anExtractor(), 'span.more', 'date'),
    ]);
    expect(calls.extractors[0]!.fields.map((field) => field.role)).not.toContain('category');
  });

  it('follows with the extractor shown, or cancels', () => {
    const calls = show();

    fireEvent.click(screen.getByRole('button', { name: 'Follow this page' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(calls.confirmed).toEqual([anExtractor()]);
    expect(calls.cancelled).toBe(1);
  });

  it('waits while a request is under way, the role selects staying usable', () => {
    show({ busy: true });

    expect(
      (screen.getByRole('button', { name: 'Follow this page' }) as HTMLButtonElement).disabled,
    ).toBe(true);
    expect(
      (screen.getByRole('combobox', { name: 'Role of “Transformer”' }) as HTMLSelectElement)
        .disabled,
    ).toBe(false);
  });

  it('edits a followed blog: Save and Cancel, the parts open', () => {
    const calls = show({ mode: 'edit' });

    const section = screen.getByRole('region', { name: 'Change what Dispatch reads' });
    expect(section.querySelector('details')?.open).toBe(true);
    expect(within(section).queryByRole('button', { name: 'Follow this page' })).toBeNull();
    fireEvent.click(within(section).getByRole('button', { name: 'Save' }));

    expect(calls.confirmed).toEqual([anExtractor()]);
  });

  it('shows the page’s words as text, each piece in its own direction, links only to web pages', () => {
    show({
      preview: aPreview({
        summary: '<img src=x onerror=alert(1)> 2 posts',
        posts: [
          { title: 'مرحبا <b>bold</b>', url: 'javascript:alert(1)', category: 'עברית' },
          { title: ' ', url: 'https://blog.example/untitled' },
        ],
        parts: [{ path: 'h2', text: '<script>x</script>', role: 'title' }],
      }),
    });

    expect(screen.getByText('<img src=x onerror=alert(1)> 2 posts')).toBeTruthy();
    expect(document.querySelector('img, script, b')).toBeNull();
    const posts = screen.getByRole('list', { name: 'Posts found' });
    const [hostile, untitled] = within(posts).getAllByRole('listitem');
    expect(within(hostile!).queryByRole('link')).toBeNull();
    expect(within(hostile!).getByText('مرحبا <b>bold</b>').getAttribute('dir')).toBe('auto');
    expect(within(hostile!).getByText('עברית').getAttribute('dir')).toBe('auto');
    expect(within(untitled!).getByRole('link', { name: 'Untitled post' })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Role of “<script>x</script>”' })).toBeTruthy();
    expect(screen.getByText('<img src=x onerror=alert(1)> 2 posts').getAttribute('dir')).toBe(
      'auto',
    );
  });
});
