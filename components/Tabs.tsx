/**
 * Tabs with the ARIA tabs pattern: one tab stop, arrow keys / Home / End move between tabs. A
 * panel is rendered when its tab is first selected and kept (hidden) afterwards, so a list keeps
 * its scroll position and loaded rows when the user comes back to it. `selected` lets the page
 * switch tabs itself (the `/` key opens the search).
 */
import { useSignal, type Signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export interface TabSpec {
  id: string;
  label: string;
  /** Rendered from the first time its tab is selected. */
  content: ComponentChildren;
}

const KEY_STEPS: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (index, count) => (index + 1) % count,
  ArrowLeft: (index, count) => (index - 1 + count) % count,
  Home: () => 0,
  End: (_index, count) => count - 1,
};

export function Tabs({
  label,
  tabs,
  selected,
}: {
  label: string;
  tabs: TabSpec[];
  selected?: Signal<string>;
}) {
  const own = useSignal(tabs[0]?.id ?? '');
  const current = selected ?? own;
  const visited = useRef(new Set<string>());
  visited.current.add(current.value);

  function onKeyDown(event: KeyboardEvent & { currentTarget: HTMLElement }) {
    const step = KEY_STEPS[event.key];
    if (!step) return;
    event.preventDefault();
    const index = tabs.findIndex((tab) => tab.id === current.value);
    const next = tabs[step(index, tabs.length)];
    if (!next) return;
    current.value = next.id;
    event.currentTarget.querySelector<HTMLElement>(`#tab-${next.id}`)?.focus();
  }

  return (
    <>
      <div role="tablist" aria-label={label} class="tabs" onKeyDown={onKeyDown}>
        {tabs.map((tab) => {
          const isSelected = tab.id === current.value;
          return (
            <button
              key={tab.id}
              type="button"
              role="tab"
              id={`tab-${tab.id}`}
              aria-selected={isSelected}
              aria-controls={`panel-${tab.id}`}
              tabIndex={isSelected ? 0 : -1}
              onClick={() => (current.value = tab.id)}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`panel-${tab.id}`}
          aria-labelledby={`tab-${tab.id}`}
          class="panel"
          hidden={tab.id !== current.value}
        >
          {visited.current.has(tab.id) && tab.content}
        </div>
      ))}
    </>
  );
}
