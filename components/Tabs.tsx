/** Tabs with the ARIA tabs pattern: one tab stop, arrow keys / Home / End move between tabs. */
import { useSignal } from '@preact/signals';
import type { ComponentChildren } from 'preact';

export interface TabSpec {
  id: string;
  label: string;
  /** Rendered only while its tab is selected. */
  content: ComponentChildren;
}

const KEY_STEPS: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (index, count) => (index + 1) % count,
  ArrowLeft: (index, count) => (index - 1 + count) % count,
  Home: () => 0,
  End: (_index, count) => count - 1,
};

export function Tabs({ label, tabs }: { label: string; tabs: TabSpec[] }) {
  const selected = useSignal(tabs[0]?.id ?? '');

  function onKeyDown(event: KeyboardEvent & { currentTarget: HTMLElement }) {
    const step = KEY_STEPS[event.key];
    if (!step) return;
    event.preventDefault();
    const index = tabs.findIndex((tab) => tab.id === selected.value);
    const next = tabs[step(index, tabs.length)];
    if (!next) return;
    selected.value = next.id;
    event.currentTarget.querySelector<HTMLElement>(`#tab-${next.id}`)?.focus();
  }

  return (
    <>
      <div role="tablist" aria-label={label} class="tabs" onKeyDown={onKeyDown}>
        {tabs.map((tab) => {
          const isSelected = tab.id === selected.value;
          return (
            <button
              key={tab.id}
              type="button"
              role="tab"
              id={`tab-${tab.id}`}
              aria-selected={isSelected}
              aria-controls={`panel-${tab.id}`}
              tabIndex={isSelected ? 0 : -1}
              onClick={() => (selected.value = tab.id)}
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
          hidden={tab.id !== selected.value}
        >
          {tab.id === selected.value && tab.content}
        </div>
      ))}
    </>
  );
}
